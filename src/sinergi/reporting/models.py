"""Subscriptions to the monthly leadership report (PDF by e-mail)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import TimeStampedModel


class ReportSubscription(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="reporting_one_subscription")]

    def __str__(self):
        return f"{self.user} {self.region_id}"
