"""`sinergi manage sinergi_monthly_report [--month YYYY-MM]`: queue one report job per subscribed region;
each job builds the PDF and e-mails it to that region's subscribers (default: last month)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from sinergi.core import clock
from sinergi.reporting.models import ReportSubscription
from sinergi.reporting.tasks import report_start


class Command(BaseCommand):
    help = "Produce and e-mail the monthly leadership report for every subscribed region."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)")

    def handle(self, *args, month=None, **options):
        if month:
            try:
                day = dt.date.fromisoformat(f"{month}-01")
            except ValueError as exc:
                raise CommandError(f"--month must be YYYY-MM: {exc}") from exc
        else:
            day = (clock.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        regions = (
            ReportSubscription.objects.filter(active=True).values_list("region_id", flat=True).distinct()
        )
        for region in regions:
            job = report_start(user=None, region=region, month=day, mail=True)
            self.stdout.write(f"region {region}: job {job.pk}")
