"""Dated work of reporting, run by the scheduler (sinergi.core.schedules)."""

from django.utils.translation import gettext_lazy as _

from sinergi.core.schedules import schedule
from sinergi.reporting.models import ReportSubscription
from sinergi.reporting.tasks import report_start


def _monthly_reports(*, day):
    """On the 2nd of each month, the previous month's report for every region with subscribers."""
    import datetime as dt

    month = (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    regions = ReportSubscription.objects.filter(active=True).values_list("region_id", flat=True).distinct()
    jobs = [
        report_start(
            user=None,
            region=region,
            month=month,
            mail=True,
            idempotency_key=f"monthly-report:{region}:{month}",
        ).pk
        for region in regions
    ]
    return {"month": month.isoformat(), "jobs": jobs}


schedule(
    "reporting.monthly_report",
    _monthly_reports,
    every="monthly",
    day=2,
    at="07:00",
    title=_("Send the monthly report to its subscribers"),
)
