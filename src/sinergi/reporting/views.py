"""The leadership dashboard, its XLSX exports, the monthly PDF report (a job) and report subscriptions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.core import charts
from sinergi.core.errors import SinergiError
from sinergi.core.exports import export_response
from sinergi.reporting import forms, selectors, services, tasks


def _number(indicator, value):
    return "" if value is None else value


def export_table(user, data, table):
    """(headers, rows) of one dashboard table; suppressed cells stay empty."""
    if table in ("targets", "red"):
        rows = data["targets"] if table == "targets" else data["red"]
        return (
            [
                _("Plan"),
                _("Indicator"),
                _("Region"),
                _("Annual target"),
                _("Expected by now"),
                _("Achieved"),
                _("% of target"),
                _("Behind"),
            ],
            [
                [
                    str(r["plan"]),
                    str(r["indicator"].label),
                    r["region"].name,
                    r["annual"],
                    r["expected"],
                    _number(r["indicator"], r["achieved"]),
                    r["percent"],
                    r["behind"],
                ]
                for r in rows
            ],
        )
    if table == "absorption":
        return (
            [_("As of"), _("Frozen"), _("Budget"), _("Realised"), _("Absorption %")],
            [
                [m["date"], not m["live"], m["budget"], m["realised"], m["absorption"]]
                for m in data["absorption"]
            ],
        )
    if table == "budget":
        return (
            [
                _("Plan"),
                _("Account code"),
                _("Sub-activity"),
                _("Source"),
                _("Protected"),
                _("Budget"),
                _("Realised"),
                _("Absorption %"),
            ],
            [
                [
                    str(r["plan"]),
                    r["line"].account_code,
                    r["line"].sub_activity,
                    r["line"].source,
                    r["line"].protected,
                    r["line"].amount,
                    r["realised"],
                    r["absorption"],
                ]
                for r in data["budget_rows"]
            ],
        )
    if table == "trends":
        rows = []
        for t in data["trends"]:
            for day, achieved, expected, frozen in zip(
                t["dates"], t["achieved"], t["expected"], t["frozen"], strict=False
            ):
                rows.append([str(t["indicator"].label), day, frozen, achieved, expected])
        return [_("Indicator"), _("As of"), _("Frozen"), _("Achieved"), _("Time-proportional target")], rows
    return (
        [_("Area"), *[str(i.label) for i in data["drill_indicators"]]],
        [[str(r["label"]), *r["values"]] for r in data["drill"]],
    )


def _trend_charts(data):
    out = []
    for t in data["trends"]:
        series = {_("Achieved"): t["achieved"]}
        if any(v is not None for v in t["expected"]):
            series[_("Target (time-proportional)")] = t["expected"]
        out.append(
            charts.lines(
                t["dates"], series, title=str(t["indicator"].label), dashed=(_("Target (time-proportional)"),)
            )
        )
    return out


@login_required
def dashboard(request):
    form = forms.DashboardForm(request.GET)
    d = form.cleaned_data if form.is_valid() else {}
    data = selectors.dashboard(
        user=request.user, region=d.get("region", ""), year=d.get("year"), body_id=d.get("body")
    )
    if d.get("export"):
        headers, rows = export_table(request.user, data, d["export"])
        return export_response(
            actor=request.user,
            filename=f"dasbor-{data['region'] or 'semua'}-{data['year']}-{d['export']}",
            headers=headers,
            rows=rows,
            object_type="reporting.dashboard",
            purpose=f"dashboard {d['export']}",
        )
    absorption_chart = ""
    if data["absorption"]:
        absorption_chart = charts.lines(
            [m["date"] for m in data["absorption"]],
            {
                _("Budget"): [m["budget"] for m in data["absorption"]],
                _("Realised"): [m["realised"] for m in data["absorption"]],
            },
            title=_("Budget absorption"),
            dashed=(_("Budget"),),
        )
    subscribed = request.user.report_subscriptions.filter(region_id=data["region"], active=True).exists()
    return render(
        request,
        "reporting/dashboard.html",
        {
            "d": data,
            "trend_charts": _trend_charts(data),
            "absorption_chart": absorption_chart,
            "subscribed": subscribed,
            "query": f"region={data['region']}&year={data['year']}"
            + (f"&body={data['body'].pk}" if data["body"] else ""),
        },
    )


@login_required
@require_POST
def report_start(request):
    form = forms.ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a month."))
        return redirect("reporting:dashboard")
    region = selectors.allowed_region(request.user, form.cleaned_data["region"])
    try:
        job = tasks.report_start(user=request.user, region=region, month=form.cleaned_data["month"])
    except SinergiError as exc:
        messages.error(request, str(exc.message))
        return redirect("reporting:dashboard")
    return redirect("core:job_detail", pk=job.pk)


@login_required
@require_POST
def subscribe(request):
    form = forms.SubscriptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to receive the report."))
        return redirect("reporting:dashboard")
    region = selectors.allowed_region(request.user, form.cleaned_data["region"])
    try:
        sub = services.subscription_set(
            actor=request.user, region_code=region, active=form.cleaned_data["choice"] == "subscribe"
        )
    except SinergiError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("You will receive the monthly report by e-mail.") if sub.active else _("Subscription ended."),
        )
    return redirect(f"/reporting/?region={region}")
