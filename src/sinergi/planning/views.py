"""Pages for plans: list, create, edit while in draft, team review, approval, revisions, side-by-side
comparison of versions, budget realisation and absorption, the what-if, and the indicator catalogue."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from sinergi.accounts.permissions import capability_required
from sinergi.accounts.roles import can
from sinergi.accounts.scoping import user_scope
from sinergi.core import charts, clock
from sinergi.core.errors import SinergiError
from sinergi.core.exports import export_response
from sinergi.coverage.selectors import scheme_list
from sinergi.planning import forms, indicators, selectors, services
from sinergi.planning.models import BudgetLine, Plan, PlanReview, ReviewTeam, Revision
from sinergi.planning.tasks import snapshots_start
from sinergi.regions.models import Region


def _fail(request, form, exc: SinergiError):
    if form is not None and exc.field in form.fields:
        form.add_error(exc.field, str(exc.message))
    else:
        messages.error(request, str(exc.message))


@login_required
def plan_list(request):
    filters = forms.PlanFilterForm(request.GET)
    year = filters.cleaned_data.get("year") if filters.is_valid() else None
    qs = selectors.plan_list(user=request.user, filters={"year": year})
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/list.html",
        {
            "page": page,
            "filter_form": filters,
            "can_create": can(request.user, "manage_plans") and request.user.organisation_id,
        },
    )


@capability_required("manage_plans")
def plan_new(request):
    if not request.user.organisation_id:
        raise SinergiError(_("Plans belong to an agency, a branch, a union body or a sponsor."), status=403)
    form = forms.PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=request.user,
                organisation=request.user.organisation,
                year=d["year"],
                title=d["title"],
                region=Region.objects.get(code=d["region"]),
                legal_basis=d["legal_basis"],
                review_team=d["review_team"],
            )
        except SinergiError as exc:
            _fail(request, form, exc)
        else:
            messages.success(request, _("Plan created as a draft."))
            return redirect("planning:detail", pk=plan.pk)
    return render(request, "planning/new.html", {"form": form})


def _plan_context(request, plan):
    user = request.user
    live = selectors.live_snapshot()
    activities = list(plan.activities.prefetch_related("targets__region", "budget_lines"))
    reviews = list(plan.reviews.filter(round=plan.review_round).select_related("member"))
    reviewed_ids = {r.member_id for r in reviews}
    members = list(plan.review_team.members.all()) if plan.review_team else []
    return {
        "plan": plan,
        "activities": activities,
        "indicator_labels": dict(indicators.choices()),
        "total_budget": sum((b.amount for a in activities for b in a.budget_lines.all()), Decimal(0)),
        "reviews": reviews,
        "all_reviews": plan.reviews.select_related("member").order_by("round", "at"),
        "members": [(m, m.pk in reviewed_ids) for m in members],
        "events": plan.events.select_related("actor"),
        "versions": plan.versions.all(),
        "revisions": plan.revisions.select_related("proposed_by", "approved_by", "second_approved_by"),
        "can_edit": selectors.can_edit(user, plan),
        "can_approve": selectors.can_approve(user, plan),
        "is_reviewer": plan.status == Plan.Status.REVIEW
        and any(m.pk == user.pk for m in members)
        and user.pk not in reviewed_ids,
        "activity_form": forms.ActivityForm(),
        "target_form": forms.TargetForm(user=user),
        "line_form": forms.BudgetLineForm(),
        "blank_target_form": forms.TargetForm(user=user),
        "blank_line_form": forms.BudgetLineForm(),
        "review_form": forms.ReviewForm(),
        "note_form": forms.NoteForm(),
        "budget": selectors.budget_rows(plan, live),
        "live": live,
        "action_errors": [],
        "bound_activity": None,
    }


def _plan_page(request, plan, *, status=200, **bound):
    """The plan's page; `bound` replaces an empty form by the one just posted, errors on its fields."""
    context = _plan_context(request, plan)
    context.update(bound)
    return render(request, "planning/detail.html", context, status=status)


@login_required
def plan_detail(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    return _plan_page(request, plan)


@login_required
@require_POST
def plan_action(request, pk):
    """One workflow step or content change, named by `action` in the form. A bad value re-renders the
    plan's page with the message on the field and the typed input kept; an unknown action is a 400."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    chosen = forms.PlanActionForm(request.POST, plan=plan)
    if not chosen.is_valid():
        errors = [str(e) for field in ("action", "activity", "line") for e in chosen.errors.get(field, [])]
        status = 400 if "action" in chosen.errors else 200
        return _plan_page(request, plan, status=status, action_errors=errors)
    action = chosen.cleaned_data["action"]
    activity = chosen.cleaned_data["activity"]
    user = request.user
    form, name = {
        "activity": (forms.ActivityForm(request.POST), "activity_form"),
        "target": (forms.TargetForm(request.POST, user=user), "target_form"),
        "line": (forms.BudgetLineForm(request.POST), "line_form"),
        "review": (forms.ReviewForm(request.POST), "review_form"),
        "approve": (forms.NoteForm(request.POST), "note_form"),
        "return": (forms.NoteForm(request.POST), "note_form"),
    }.get(action, (None, None))
    if form is not None and not form.is_valid():
        return _plan_page(request, plan, bound_activity=activity and activity.pk, **{name: form})
    d = form.cleaned_data if form is not None else {}
    try:
        if action == "activity":
            services.activity_add(actor=user, plan=plan, **d)
            messages.success(request, _("Activity added."))
        elif action == "target":
            services.target_set(
                actor=user,
                activity=activity,
                indicator=d["indicator"],
                region=Region.objects.get(code=d["region"]),
                quarters=[d["q1"], d["q2"], d["q3"], d["q4"]],
            )
            messages.success(request, _("Target saved."))
        elif action == "line":
            services.budget_line_add(actor=user, activity=activity, **d)
            messages.success(request, _("Budget line added."))
        elif action == "remove_line":
            services.budget_line_remove(actor=user, line=chosen.cleaned_data["line"])
            messages.success(request, _("Budget line removed."))
        elif action == "submit":
            services.plan_submit(actor=user, plan=plan)
            messages.success(request, _("Plan sent to the review team."))
        elif action == "review":
            services.plan_review(actor=user, plan=plan, **d)
            messages.success(request, _("Review recorded."))
        elif action == "approve":
            services.plan_approve(actor=user, plan=plan, note=d["note"])
            messages.success(request, _("Plan approved and in force."))
        else:
            services.plan_return(actor=user, plan=plan, note=d["note"])
            messages.success(request, _("Plan returned to draft."))
    except SinergiError as exc:
        if form is not None and exc.field in form.fields:
            form.add_error(exc.field, str(exc.message))
            return _plan_page(request, plan, bound_activity=activity and activity.pk, **{name: form})
        messages.error(request, str(exc.message))
    return redirect("planning:detail", pk=plan.pk)


@login_required
def revision_new(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    if not selectors.can_edit(request.user, plan):
        raise SinergiError(_("Only officers of the plan's organisation may change it."), status=403)
    lines = list(BudgetLine.objects.filter(activity__plan=plan).select_related("activity"))
    form = forms.RevisionForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            services.revision_propose(
                actor=request.user,
                plan=plan,
                reason=form.cleaned_data["reason"],
                effective_date=form.cleaned_data["effective_date"],
                line_amounts=form.line_amounts(),
            )
        except SinergiError as exc:
            _fail(request, form, exc)
        else:
            messages.success(request, _("Revision proposed; it takes effect once approved."))
            return redirect("planning:detail", pk=plan.pk)
    return render(request, "planning/revision_new.html", {"plan": plan, "form": form})


@login_required
@require_POST
def revision_decide(request, pk):
    revision = get_object_or_404(selectors.revision_scope(request.user), pk=pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        status = 400 if "decision" in form.errors else 200
        return _plan_page(request, revision.plan, status=status, action_errors=errors)
    note = form.cleaned_data["note"]
    try:
        if form.cleaned_data["decision"] == "approve":
            revision = services.revision_approve(actor=request.user, revision=revision, note=note)
            if revision.status == Revision.Status.FIRST_APPROVED:
                messages.warning(
                    request,
                    _("Approved once; this revision cuts a protected line and needs a second approval."),
                )
            else:
                messages.success(request, _("Revision approved and applied."))
        else:
            services.revision_reject(actor=request.user, revision=revision, note=note)
            messages.success(request, _("Revision rejected."))
    except SinergiError as exc:
        messages.error(request, str(exc.message))
    return redirect("planning:detail", pk=revision.plan_id)


def compare_versions(a: dict, b: dict) -> list[dict]:
    """Budget lines and targets of two versions side by side, matched by id."""

    def flat(content):
        lines, targets = {}, {}
        for act in content.get("activities", []):
            for ln in act["lines"]:
                lines[ln["id"]] = (act["name"], ln)
            for t in act["targets"]:
                targets[t["id"]] = (act["name"], t)
        return lines, targets

    la, ta = flat(a)
    lb, tb = flat(b)
    rows = []
    for key in sorted(set(la) | set(lb)):
        act, line = lb.get(key) or la.get(key)
        before = Decimal(la[key][1]["amount"]) if key in la else None
        after = Decimal(lb[key][1]["amount"]) if key in lb else None
        rows.append(
            {
                "kind": "line",
                "activity": act,
                "label": f"{line['account_code']} {line['sub_activity']}",
                "protected": line.get("protected"),
                "a": before,
                "b": after,
                "delta": (after or 0) - (before or 0),
                "changed": before != after,
            }
        )
    labels = dict(indicators.choices())
    for key in sorted(set(ta) | set(tb)):
        act, t = tb.get(key) or ta.get(key)
        before = Decimal(ta[key][1]["quarters"][3]) if key in ta else None
        after = Decimal(tb[key][1]["quarters"][3]) if key in tb else None
        rows.append(
            {
                "kind": "target",
                "activity": act,
                "label": f"{labels.get(t['indicator'], t['indicator'])} ({t['region']})",
                "protected": False,
                "a": before,
                "b": after,
                "delta": (after or 0) - (before or 0),
                "changed": before != after,
            }
        )
    return rows


@login_required
def plan_compare(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    versions = {v.number: v for v in plan.versions.all()}
    numbers = sorted(versions)
    form = forms.CompareForm(request.GET, numbers=numbers)
    a = b = None
    if form.is_valid() and numbers:
        a = versions.get(form.cleaned_data.get("a") or numbers[0])
        b = versions.get(form.cleaned_data.get("b") or numbers[-1])
    rows = compare_versions(a.content, b.content) if a and b else []
    if a and b and form.cleaned_data.get("format") == "xlsx":
        return export_response(
            actor=request.user,
            filename=f"plan-{plan.pk}-v{a.number}-v{b.number}",
            headers=[
                _("Kind"),
                _("Activity"),
                _("Item"),
                _("Protected"),
                f"v{a.number}",
                f"v{b.number}",
                pgettext("difference", "Change"),
            ],
            rows=[
                [r["kind"], r["activity"], r["label"], r["protected"], r["a"], r["b"], r["delta"]]
                for r in rows
            ],
            object_type="planning.plan",
            purpose="compare versions",
        )
    return render(
        request,
        "planning/compare.html",
        {"plan": plan, "versions": versions.values(), "a": a, "b": b, "rows": rows, "form": form},
    )


@login_required
def plan_budget(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    live = selectors.live_snapshot()
    rows = selectors.budget_rows(plan, live)
    months = selectors.absorption_by_month([plan], plan.year)
    fmt = forms.ExportFormatForm(request.GET)
    if fmt.is_valid() and fmt.cleaned_data["format"] == "xlsx":
        return export_response(
            actor=request.user,
            filename=f"plan-{plan.pk}-budget",
            headers=[
                _("Account code"),
                _("Sub-activity"),
                _("Source"),
                _("Protected"),
                _("Budget"),
                _("Realised"),
                _("Absorption %"),
            ],
            rows=[
                [
                    r["line"].account_code,
                    r["line"].sub_activity,
                    r["line"].source,
                    r["line"].protected,
                    r["line"].amount,
                    r["realised"],
                    r["absorption"],
                ]
                for r in rows
            ],
            object_type="planning.plan",
            purpose="budget realisation",
        )
    chart = (
        charts.lines(
            [str(m["date"]) for m in months],
            {
                _("Budget"): [float(m["budget"]) for m in months],
                _("Realised"): [float(m["realised"]) for m in months],
            },
            title=_("Budget absorption by month"),
        )
        if months
        else ""
    )
    return render(
        request,
        "planning/budget.html",
        {"plan": plan, "rows": rows, "months": months, "live": live, "chart": chart, "format_form": fmt},
    )


@login_required
def what_if(request):
    schemes = scheme_list(user=request.user)
    form = forms.WhatIfForm(request.GET or None, schemes=schemes)
    result = None
    if request.GET and form.is_valid():
        d = form.cleaned_data
        people = d.get("people") or 0
        if d.get("whole_gap"):
            live = selectors.live_snapshot()
            value, _p = selectors.totals(live, region=d["scheme"].region_id).get(
                "coverage.gap", (Decimal(0), 0)
            )
            people = int(value)
        result = selectors.what_if(scheme=d["scheme"], people=people, from_month=d.get("from_month"))
    return render(request, "planning/what_if.html", {"form": form, "result": result})


@login_required
def indicator_list(request):
    """Every indicator with its definition and today's live and last frozen figure in the user's area."""
    scope = user_scope(request.user)
    form = forms.IndicatorFilterForm(request.GET)
    form.is_valid()  # a bad region or format is shown on the page; the rest still applies
    region = form.cleaned_data.get("region", "")
    if not scope.is_global:
        home = request.user.organisation.region_id if request.user.organisation_id else ""
        if not region or not scope.covers_region(region):
            region = scope.region_prefixes[0] if scope.region_prefixes else home
    live = selectors.live_snapshot()
    frozen = selectors.frozen_snapshots(live.period_end.year) if live else []
    last_frozen = frozen[-1] if frozen else None
    bodies = scope.union_body_ids if scope.is_union else None
    live_totals = selectors.totals(live, region=region if not bodies else "", union_body_ids=bodies)
    frozen_totals = selectors.totals(last_frozen, region=region if not bodies else "", union_body_ids=bodies)
    suppress = selectors.suppresses_small_cells(request.user)
    rows = []
    for key, ind in indicators.registry().items():
        lv = live_totals.get(key, (0, 0))
        fv = frozen_totals.get(key, (0, 0))
        rows.append(
            {
                "indicator": ind,
                "live": selectors.shown(key, *lv, suppress=suppress),
                "frozen": selectors.shown(key, *fv, suppress=suppress),
            }
        )
    schemes = []
    if not bodies:
        for entry in selectors.premiums_by_scheme(live, region=region):
            entry["shown"] = selectors.shown(
                "coverage.premiums_paid", entry["value"], entry["people"], suppress=suppress
            )
            for cell in entry["regions"]:
                cell["shown"] = selectors.shown(
                    "coverage.premiums_paid", cell["value"], cell["people"], suppress=suppress
                )
            schemes.append(entry)
    if form.is_valid() and form.cleaned_data["format"] == "xlsx":
        return export_response(
            actor=request.user,
            filename="indicators",
            headers=[_("Indicator"), _("Unit"), _("Live"), _("Frozen"), _("Definition")],
            rows=[
                [
                    str(r["indicator"].label),
                    r["indicator"].unit,
                    r["live"],
                    r["frozen"],
                    str(r["indicator"].definition),
                ]
                for r in rows
            ],
            object_type="planning.figure",
            purpose="indicators",
        )
    return render(
        request,
        "planning/indicators.html",
        {
            "rows": rows,
            "live": live,
            "last_frozen": last_frozen,
            "region": region,
            "schemes": schemes,
            "can_refresh": can(request.user, "refresh_indicators"),
            "form": form,
        },
    )


@capability_required("refresh_indicators")
def indicators_refresh(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        job = snapshots_start(user=request.user)
    except SinergiError as exc:
        messages.error(request, str(exc.message))
        return redirect("planning:indicators")
    return redirect("core:job_detail", pk=job.pk)


@login_required
def team_list(request):
    scope = user_scope(request.user)
    teams = ReviewTeam.objects.prefetch_related("members__organisation").select_related("organisation")
    if not scope.is_global:
        teams = teams.filter(organisation_id=request.user.organisation_id) | teams.filter(
            members=request.user
        )
    return render(
        request,
        "planning/teams.html",
        {"teams": teams.distinct(), "today": clock.today(), "verdicts": PlanReview.Verdict},
    )
