"""Operations pages for administrators: schedules and their runs, workers, the e-mail outbox."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.core import clock
from sinergi.core.permissions import capability_required
from sinergi.ops import selectors
from sinergi.ops.faults import stale_after
from sinergi.ops.forms import OutboxFilterForm, RunFilterForm, RunNowForm
from sinergi.ops.models import OutboxMessage
from sinergi.ops.outbox import outbox_retry
from sinergi.ops.scheduler import schedule_run_now


@capability_required("operate")
def schedules(request):
    return _schedules_page(request)


def _schedules_page(request, run_form=None, status=200):
    """The schedules page; `run_form` is a refused "run now" with its messages to show."""
    form = RunFilterForm(request.GET)
    form.is_valid()  # a bad filter is shown on its field and filters nothing
    filters = form.cleaned_data
    runs = selectors.run_list(schedule=filters.get("schedule") or "", status=filters.get("status") or "")
    page = Paginator(runs, 50).get_page(request.GET.get("page"))

    limit = clock.wall_now() - stale_after()
    return render(
        request,
        "ops/schedules.html",
        {
            "schedules": selectors.schedule_overview(),
            "page": page,
            "form": form,
            "workers": [(w, w.seen_at >= limit) for w in selectors.workers()[:50]],
            "leader": selectors.scheduler_leader(),
            "run_form": run_form,
        },
        status=status,
    )


@require_POST
@capability_required("operate")
def schedule_run(request):
    form = RunNowForm(request.POST)
    if not form.is_valid():
        return _schedules_page(request, run_form=form, status=400)
    run = schedule_run_now(
        name=form.cleaned_data["schedule"], actor=request.user, day=form.cleaned_data["day"]
    )
    messages.success(request, _("Run queued: %(name)s.") % {"name": run.schedule})
    return redirect("ops:schedules")


@capability_required("operate")
def outbox(request):
    form = OutboxFilterForm(request.GET)
    status = form.cleaned_data.get("status") or "" if form.is_valid() else ""
    page = Paginator(selectors.outbox_list(status=status), 50).get_page(request.GET.get("page"))
    return render(request, "ops/outbox.html", {"page": page, "form": form})


@require_POST
@capability_required("operate")
def outbox_resend(request, pk: int):
    message = get_object_or_404(OutboxMessage, pk=pk)
    outbox_retry(message=message, actor=request.user)
    messages.success(request, _("The e-mail is queued again."))
    return redirect("ops:outbox")
