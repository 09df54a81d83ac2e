"""Annual work plans: activities, indicator targets by quarter and region, budget lines, the P3KP team
review, approval by the agency head, revisions (refocusing) with history, and frozen indicator snapshots."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.core.dates import format_date
from sinergi.core.models import TimeStampedModel
from sinergi.core.money import RupiahField
from sinergi.planning import indicators


class ReviewTeam(TimeStampedModel):
    """A review team such as the P3KP team (Tim Percepatan Pengembangan Program Kesejahteraan Pekerja):
    members from the agency, the unions and BPJS Ketenagakerjaan review a plan before approval."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("convened by")
    )
    name = models.CharField(_("name"), max_length=200)
    decree = models.CharField(_("decree"), max_length=300, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="review_teams", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="planning_team_name")]

    def __str__(self):
        return self.name


class Plan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEW = "review", _("in team review")
        REVIEWED = "reviewed", _("reviewed, awaiting approval")
        IN_FORCE = "in_force", _("in force")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("organisation"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    title = models.CharField(_("title"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    review_team = models.ForeignKey(
        ReviewTeam,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("review team"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_round = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveSmallIntegerField(_("version"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "organisation__name", "title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "title"], name="planning_plan_title")
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Activity(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    order = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "order"), default=0)
    program = models.CharField(_("program"), max_length=200)
    name = models.CharField(_("activity"), max_length=200)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200)

    class Meta:
        ordering = ["plan", "order", "id"]

    def __str__(self):
        return self.name


class Target(models.Model):
    """What an indicator must reach in a region by the end of a quarter, counted from 1 January
    (so Q4 is the annual target). Figures are compared with the indicator's year-to-date value."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=60)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    q1 = models.DecimalField(_("by end of Q1"), max_digits=18, decimal_places=0, default=0)
    q2 = models.DecimalField(_("by end of Q2"), max_digits=18, decimal_places=0, default=0)
    q3 = models.DecimalField(_("by end of Q3"), max_digits=18, decimal_places=0, default=0)
    q4 = models.DecimalField(_("by end of Q4 (year)"), max_digits=18, decimal_places=0, default=0)

    class Meta:
        ordering = ["activity", "indicator", "region"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "indicator", "region"], name="planning_one_target")
        ]

    def __str__(self):
        found = indicators.get(self.indicator)
        return f"{found.label if found else self.indicator} {self.region_id}"

    def quarters(self) -> list:
        return [self.q1, self.q2, self.q3, self.q4]


class Source(models.TextChoices):
    APBD = "APBD", _("regional budget (APBD)")
    BPJS = "BPJS", _("BPJS Ketenagakerjaan")
    CSR = "CSR", _("company CSR")
    DUES = "DUES", _("union dues")


class BudgetLine(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="budget_lines")
    account_code = models.CharField(_("account code"), max_length=40)
    sub_activity = models.CharField(_("sub-activity"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=5, choices=Source.choices, default=Source.APBD)
    amount = RupiahField(_("amount"))
    protected = models.BooleanField(
        _("protected (direct help to workers)"),
        default=False,
        help_text=_("Cutting a protected line needs a second approval."),
    )
    # Realisation: the indicator whose year-to-date value measures spending on this line, in the
    # plan's region. With a unit cost the value counts units (packages, cards, trainees); without,
    # the indicator is already in rupiah (premiums paid).
    spend_indicator = models.CharField(_("realised through"), max_length=60, blank=True)
    unit_cost = RupiahField(_("unit cost"), null=True, blank=True)
    scheme = models.ForeignKey(
        "coverage.Scheme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sponsored scheme"),
    )

    class Meta:
        ordering = ["activity", "account_code", "id"]

    def __str__(self):
        return f"{self.account_code} {self.sub_activity}"


class PlanReview(models.Model):
    """One team member's review of one review round."""

    class Verdict(models.TextChoices):
        AGREE = "agree", _("agree")
        CHANGES = "changes", _("changes needed")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField()
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["plan", "round", "at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "round", "member"], name="planning_one_review")
        ]

    def __str__(self):
        return f"{self.plan_id} #{self.round} {self.member_id} {self.verdict}"


class PlanEvent(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["plan", "at", "id"]

    def __str__(self):
        return f"{self.plan_id} {self.from_status} → {self.to_status}"


class PlanVersion(models.Model):
    """The whole content of a plan as approved (version 1) and after each approved revision."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    content = models.JSONField()
    reason = models.TextField(blank=True)
    effective_date = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="planning_one_version")]

    def __str__(self):
        return f"{self.plan_id} v{self.number}"


class Revision(TimeStampedModel):
    """A change to a plan in force (e.g. COVID-19 refocusing): new amounts for budget lines and targets,
    with the reason and date. Approved by an agency head who did not propose it; cutting a protected
    line needs a second approval by yet another approver."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        FIRST_APPROVED = "first_ok", _("awaiting second approval")
        APPLIED = "applied", _("applied")
        REJECTED = "rejected", _("rejected")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    reason = models.TextField(_("reason"))
    effective_date = models.DateField(_("effective date"))
    # {"lines": {"<id>": "<new amount>"}, "targets": {"<id>": ["q1", "q2", "q3", "q4"]}}
    changes = models.JSONField(default=dict)
    cuts_protected = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "-created_at"]

    def __str__(self):
        return f"{self.plan} — {format_date(self.effective_date)}"


class Snapshot(models.Model):
    """Indicator figures for every region cell at one moment. LIVE snapshots are replaced by each refresh;
    MONTH and QUARTER snapshots are frozen: written once at period end and never changed."""

    class Kind(models.TextChoices):
        LIVE = "live", _("live")
        MONTH = "month", _("month end")
        QUARTER = "quarter", _("quarter end")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    period_end = models.DateField(_("as of"))
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        ordering = ["-period_end", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_end"],
                condition=~models.Q(kind="live"),
                name="planning_one_frozen_snapshot",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {format_date(self.period_end)}"

    def save(self, *args, **kwargs):
        if self.pk and self.frozen:
            raise PermissionError("A frozen snapshot never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.frozen:
            raise PermissionError("A frozen snapshot never changes.")
        return super().delete(*args, **kwargs)

    @property
    def frozen(self) -> bool:
        return self.kind != self.Kind.LIVE


class FigureQuerySet(models.QuerySet):
    """Figures of a frozen snapshot are never updated or deleted."""

    def _refuse_frozen(self):
        if self.exclude(snapshot__kind="live").exists():
            raise PermissionError("A frozen snapshot never changes.")

    def update(self, **kwargs):
        self._refuse_frozen()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_frozen()
        return super().delete()


class Figure(models.Model):
    """One indicator's year-to-date value in one cell (district or regency code, union body) of a snapshot.

    `value` is what the indicator sums (people, packages, rupiah, days); `people` is how many people the
    cell covers (the divisor of averages and the count that small-cell suppression looks at)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="figures")
    indicator = models.CharField(max_length=60)
    region_code = models.CharField(max_length=10)
    union_body_id = models.BigIntegerField(null=True)
    # The sponsored scheme (coverage.Scheme) of indicators counted by scheme (premiums paid); else empty.
    scheme_id = models.BigIntegerField(null=True)
    value = models.DecimalField(max_digits=20, decimal_places=0)
    people = models.BigIntegerField(default=0)

    objects = FigureQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["snapshot", "indicator", "region_code"])]

    def __str__(self):
        return f"{self.indicator} {self.region_code} {self.value}"

    def save(self, *args, **kwargs):
        if self.pk and self.snapshot.frozen:
            raise PermissionError("A frozen snapshot never changes.")
        super().save(*args, **kwargs)
