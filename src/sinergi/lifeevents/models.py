"""One row per life event recorded for a person, with what it changed (the outcome)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LifeEvent(models.Model):
    class Kind(models.TextChoices):
        DEATH = "death", _("death")
        EMPLOYER_CHANGE = "employer_change", _("change of employer")
        DISMISSAL = "dismissal", _("dismissal (PHK)")
        RETIREMENT = "retirement", _("retirement")

    class Source(models.TextChoices):
        DIRECT = "direct", _("entered by an officer")
        CLAIM = "claim", _("from a decided claim")

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="life_events", verbose_name=_("person")
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    event_date = models.DateField(_("date"))
    certificate_number = models.CharField(_("death certificate number"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.DIRECT)
    claim = models.ForeignKey(
        "claims.Claim",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("claim"),
    )
    employer = models.ForeignKey(
        "registry.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employer"),
    )
    new_employer = models.ForeignKey(
        "registry.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("new employer"),
    )
    outcome = models.JSONField(_("what changed"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(pgettext_lazy("time", "recorded"))

    class Meta:
        ordering = ["-event_date", "-id"]
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        constraints = [
            # a person dies once; the database guarantees it even for two officers at the same moment
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(kind="death"), name="lifeevents_one_death"
            ),
            models.UniqueConstraint(
                fields=["person", "kind", "event_date", "employer"], name="lifeevents_once_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.person_id} {self.kind} {self.event_date}"
