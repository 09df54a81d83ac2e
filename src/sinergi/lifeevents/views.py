"""Pages to record a life event from a person's profile (the forms are in the profile section)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from sinergi.core.errors import SinergiError
from sinergi.lifeevents import forms, services
from sinergi.registry import selectors as registry_selectors
from sinergi.registry.models import Employer


def _person(request, pk):
    return registry_selectors.person_get(user=request.user, pk=pk)


def _employer(request, pk, field):
    employer = Employer.objects.filter(pk=pk).first() if pk else None
    if employer is None:
        raise SinergiError(_("Choose the employer."), field=field)
    return employer


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@login_required
def record(request, pk: int, kind: str):
    """POST only: record a death, PHK, retirement or change of employer for the person `pk`."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    person = _person(request, pk)
    try:
        if kind == "death":
            form = forms.DeathForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("registry:person_detail", pk=person.pk)
            services.death_record(
                actor=request.user,
                person=person,
                death_date=form.cleaned_data["death_date"],
                certificate_number=form.cleaned_data["certificate_number"],
            )
            messages.success(
                request,
                _(
                    "The death is recorded: cover, memberships, cards, cooperative share and pending aid are settled."
                ),
            )
        else:
            form = forms.EmployerForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("registry:person_detail", pk=person.pk)
            on = form.cleaned_data["event_date"]
            if kind == "dismissal":
                employer = _employer(request, form.cleaned_data["employer"], "employer")
                services.dismissal_record(actor=request.user, person=person, employer=employer, on=on)
                messages.success(request, _("The dismissal (PHK) is recorded."))
            elif kind == "retirement":
                services.retirement_record(actor=request.user, person=person, on=on)
                messages.success(request, _("The retirement is recorded."))
            elif kind == "employer_change":
                old = _employer(request, form.cleaned_data["employer"], "employer")
                new = _employer(request, form.cleaned_data["new_employer"], "new_employer")
                services.employer_change_record(
                    actor=request.user,
                    person=person,
                    old_employer=old,
                    new_employer=new,
                    on=on,
                    wage=form.cleaned_data.get("wage"),
                )
                messages.success(request, _("The change of employer is recorded."))
            else:
                raise SinergiError(_("Unknown event."), code="unknown_event")
    except SinergiError as exc:
        messages.error(request, str(exc.message))
    return redirect("registry:person_detail", pk=person.pk)


def person_scope(*, user):
    return registry_selectors.person_list(user=user)
