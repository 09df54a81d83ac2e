"""The monthly leadership report: an A4 PDF in Indonesian built with WeasyPrint from the dashboard's
figures as of a month end, offered on the job page and e-mailed to the region's subscribers."""

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.core import clock
from sinergi.core.jobs import job_handler, job_start
from sinergi.reporting import selectors
from sinergi.reporting.models import ReportSubscription


def month_name(month: dt.date) -> str:
    """ "November 2026" in the active language."""
    from django.utils import formats

    return formats.date_format(month, "F Y")


def render_report_pdf(*, user, region: str, month: dt.date) -> bytes:
    return report_document(user=user, region=region, month=month).write_pdf()


def report_document(*, user, region: str, month: dt.date):
    """The laid-out report (a WeasyPrint Document: pages, sizes) before it is written as PDF."""
    from weasyprint import HTML

    with (
        translation.override("id"),
        clock.travel(selectors.monthly_period(month.year, month.month).isoformat()),
    ):
        data = selectors.dashboard(user=user, region=region, year=month.year)
        html = render_to_string(
            "reporting/report_pdf.html",
            {"d": data, "month": month, "generated": clock.now()},
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).render()


@job_handler("reporting.monthly_report")
def monthly_report_job(job, progress):
    region = job.params.get("region", "")
    month = dt.date.fromisoformat(job.params["month"])
    user = job.created_by or User.objects.filter(role="admin").first()
    subscribers = (
        list(ReportSubscription.objects.filter(region_id=region, active=True).select_related("user"))
        if job.params.get("mail")
        else []
    )
    progress.set_total(1 + len(subscribers))
    pdf = render_report_pdf(user=user, region=region, month=month)
    name = f"laporan-{region or 'semua'}-{month:%Y-%m}.pdf"
    job.result_file.save(name, ContentFile(pdf), save=False)
    progress.advance(1)
    sent = 0
    for sub in subscribers:
        if not sub.user.email or not sub.user.is_active:
            progress.advance(0, 1)
            continue
        # each subscriber gets the report as their own scope would show it
        own = render_report_pdf(user=sub.user, region=region, month=month)
        with translation.override(getattr(sub.user, "preferred_language", "") or "id"):
            mail = EmailMessage(
                subject=_("[Sinergi] Monthly report %(month)s") % {"month": month_name(month)},
                body=_("The monthly report on targets reached and budget absorption is attached."),
                to=[sub.user.email],
            )
        mail.attach(name, own, "application/pdf")
        mail.send(fail_silently=False)
        sent += 1
        progress.advance(1)
    return {"pages": "A4", "bytes": len(pdf), "mailed": sent}


def report_start(
    *, user, region: str, month: dt.date, mail: bool = False, idempotency_key: str | None = None
):
    return job_start(
        kind="reporting.monthly_report",
        user=user,
        params={"region": region, "month": month.replace(day=1).isoformat(), "mail": mail},
        title=_("Monthly report %(region)s %(month)s") % {"region": region, "month": month_name(month)},
        idempotency_key=idempotency_key,
    )
