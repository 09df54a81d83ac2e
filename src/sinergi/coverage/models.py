"""BPJS Ketenagakerjaan coverage: participations, wage/income history, sponsored enrolment schemes,
billing runs with bills and contribution rows, and payments. DOMAIN.md §1 and §7."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.core.models import TimeStampedModel
from sinergi.core.money import RupiahField


class Segment(models.TextChoices):
    PU = "PU", _("wage earner (PU)")
    BPU = "BPU", _("non-wage earner (BPU)")
    PMI = "PMI", _("migrant worker (PMI)")


class PayerKind(models.TextChoices):
    EMPLOYER = "employer", _("employer")
    SPONSOR = "sponsor", _("sponsor")
    SELF = "self", _("self")


PROGRAMMES = ("JKK", "JKM", "JHT", "JP")


class Participation(TimeStampedModel):
    """One person's enrolment in BPJS Ketenagakerjaan in one segment, paid by one payer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting participant number")
        ACTIVE = "active", _("active")
        ARREARS = "arrears", _("in arrears")
        LAPSED = "lapsed", _("lapsed")
        ENDED = "ended", _("ended")

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="participations", verbose_name=_("person")
    )
    segment = models.CharField(_("segment"), max_length=3, choices=Segment.choices, db_index=True)
    jkk = models.BooleanField("JKK", default=True)
    jkm = models.BooleanField("JKM", default=True)
    jht = models.BooleanField("JHT", default=False)
    jp = models.BooleanField("JP", default=False)
    payer_kind = models.CharField(_("payer"), max_length=10, choices=PayerKind.choices, db_index=True)
    employer = models.ForeignKey(
        "registry.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("employer"),
    )
    sponsor_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_participations",
        verbose_name=_("sponsor"),
    )
    scheme = models.ForeignKey(
        "coverage.Scheme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("scheme"),
    )
    # Region the participation belongs to (the person's domicile, or the employer's region) so
    # scoping never needs a join; codes are Kemendagri digits.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    participant_number = models.CharField(
        _("BPJS participant number"), max_length=30, blank=True, db_index=True
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    risk_class = models.PositiveSmallIntegerField(_("JKK risk class"), default=1)
    labour_intensive_industry = models.CharField(_("labour-intensive industry"), max_length=40, blank=True)
    pmi_contract_months = models.PositiveSmallIntegerField(_("PMI contract months"), null=True, blank=True)
    # Months of paid contributions before this record was kept in Sinergi (from the branch's data).
    prior_contribution_months = models.PositiveIntegerField(_("earlier contribution months"), default=0)
    # The basis in force now (reported wage or declared income); its history is in WageReport.
    wage = RupiahField(_("wage / declared income"))

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        indexes = [
            models.Index(fields=["status", "start_date"]),
            models.Index(fields=["person", "status"]),
            models.Index(fields=["sponsor_organisation", "status"]),
            models.Index(fields=["employer", "status"]),
        ]

    def __str__(self):
        return f"{self.person} · {self.segment} · {self.participant_number or '—'}"

    @property
    def programmes(self) -> frozenset[str]:
        return frozenset(p for p in PROGRAMMES if getattr(self, p.lower()))

    @property
    def programmes_label(self) -> str:
        return "+".join(p for p in PROGRAMMES if getattr(self, p.lower()))

    @property
    def payer_key(self) -> int:
        if self.payer_kind == PayerKind.EMPLOYER:
            return self.employer_id
        if self.payer_kind == PayerKind.SPONSOR:
            return self.sponsor_organisation_id
        return self.person_id


class WageReport(models.Model):
    """The reported wage (PU) or declared income (BPU) in force from `valid_from` (to `valid_to`)."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="wage_reports")
    amount = RupiahField(_("amount"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participation", "-valid_from"]
        verbose_name = _("wage report")
        verbose_name_plural = _("wage reports")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "valid_from"], name="coverage_one_wage_per_start"
            )
        ]
        indexes = [models.Index(fields=["participation", "valid_from", "valid_to"])]

    def __str__(self):
        return f"{self.participation_id}: {self.amount} from {self.valid_from}"


class Scheme(TimeStampedModel):
    """A sponsored enrolment scheme: a city/regency budget, province or company CSR paying the BPU
    base package (JKK + JKM at the minimum declared income) for vulnerable informal workers."""

    class Cycle(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        YEARLY = "yearly", _("yearly")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    name = models.CharField(_("name"), max_length=200)
    sponsor_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="sponsored_schemes",
        verbose_name=_("sponsor"),
    )
    agency = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="managed_schemes",
        verbose_name=_("managing agency"),
    )
    branch = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branch_schemes",
        verbose_name=_("social security branch"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    year = models.PositiveSmallIntegerField(_("budget year"))
    target = models.PositiveIntegerField(_("target participants"))
    budget = RupiahField(_("budget"))
    eligible_occupations = models.JSONField(_("eligible occupations"), default=list, blank=True)
    # Ranking: lower index = higher priority. Occupations not listed rank after listed ones.
    occupation_priority = models.JSONField(_("occupation priority"), default=list, blank=True)
    max_welfare_decile = models.PositiveSmallIntegerField(_("highest welfare decile"), null=True, blank=True)
    require_vulnerable = models.BooleanField(_("only registered vulnerable workers"), default=True)
    include_jht = models.BooleanField(_("includes JHT"), default=False)
    billing_cycle = models.CharField(
        _("billing"), max_length=10, choices=Cycle.choices, default=Cycle.MONTHLY
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    renewed_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewed_as"
    )
    # The renewal that opened this year: how many were carried over and who was dropped, and why.
    renewal_report = models.JSONField(_("renewal report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("sponsored scheme")
        verbose_name_plural = _("sponsored schemes")
        constraints = [
            models.UniqueConstraint(
                fields=["sponsor_organisation", "name", "year"], name="coverage_scheme_unique"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.year}"

    def year_over(self, today) -> bool:
        """The budget year has ended (the scheme closes; nothing more is selected or approved in it)."""
        return today.year > self.year


class SchemeQuota(models.Model):
    """Part of a scheme's yearly quota reserved for one district or kelurahan."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="quotas")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveIntegerField(_("quota"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "region"], name="coverage_quota_unique")]

    def __str__(self):
        return f"{self.scheme_id}/{self.region_id}: {self.quota}"


class CandidateBatch(TimeStampedModel):
    """A list of candidates selected by one officer; a different officer approves it (maker-checker)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="batches")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("selected by")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=20, default="registry")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("candidate list")
        verbose_name_plural = _("candidate lists")

    def __str__(self):
        return f"{self.scheme} #{self.pk}"

    @property
    def source_label(self) -> str:
        """Where the candidates came from, in words (the registry ranking, the coverage gap, a list)."""
        labels = {"registry": _("registry ranking"), "gap": _("coverage gap"), "list": _("uploaded list")}
        return str(labels.get(self.source, self.source))


class Candidate(models.Model):
    batch = models.ForeignKey(CandidateBatch, on_delete=models.CASCADE, related_name="candidates")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="coverage_candidacies"
    )
    rank = models.PositiveIntegerField(_("rank"))
    participation = models.OneToOneField(
        Participation, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidate"
    )

    class Meta:
        ordering = ["batch", "rank"]
        constraints = [models.UniqueConstraint(fields=["scheme", "person"], name="coverage_candidate_once")]

    def __str__(self):
        return f"{self.scheme_id}#{self.rank}: {self.person_id}"


class BillingRun(TimeStampedModel):
    """The bills of one month for one social security branch's service area (or, for an administrator,
    everywhere: branch empty). One run per branch and month; the contribution rates used are kept.
    A branch bills the payers located in its service area (employer's or sponsor's region, a
    self-payer's domicile)."""

    result: dict  # the figures of the last run, set by `billing_run` on the returned object (not stored)

    month = models.DateField(_("month"))
    branch = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="billing_runs",
        verbose_name=_("social security branch"),
    )
    area = models.JSONField(_("service area"), default=list, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participations = models.PositiveIntegerField(_("participations"), default=0)
    bills = models.PositiveIntegerField(_("bills"), default=0)
    total = RupiahField(_("total"), default=0)
    rates = models.JSONField(_("rates used"), default=dict)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")
        constraints = [
            models.UniqueConstraint(fields=["month", "branch"], name="coverage_one_run_per_branch_month"),
            models.UniqueConstraint(
                fields=["month"],
                condition=models.Q(branch__isnull=True),
                name="coverage_one_global_run_month",
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class Bill(models.Model):
    """What one payer (employer, sponsor or self-paying participant) owes for one month."""

    class Status(models.TextChoices):
        OPEN = "open", _("unpaid")
        PARTIAL = "partial", _("partly paid")
        PAID = "paid", pgettext_lazy("bill status", "paid")

    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, related_name="bill_set")
    month = models.DateField(_("month"))
    payer_kind = models.CharField(_("payer"), max_length=10, choices=PayerKind.choices)
    payer_id = models.BigIntegerField(_("payer id"))
    payer_name = models.CharField(_("payer name"), max_length=200)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    participations = models.PositiveIntegerField(_("participations"), default=0)
    employer_part = RupiahField(_("employer/sponsor part"), default=0)
    worker_part = RupiahField(_("worker part"), default=0)
    total = RupiahField(_("total"), default=0)
    paid = RupiahField(_("paid"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    due_date = models.DateField(_("due date"))
    number = models.CharField(_("bill number"), max_length=40, unique=True)

    class Meta:
        ordering = ["-month", "payer_name"]
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "payer_kind", "payer_id"], name="coverage_one_bill_per_payer_month"
            )
        ]
        indexes = [
            models.Index(fields=["payer_kind", "payer_id"]),
            # the bills list's keyset order (coverage.selectors.BILL_SORT_KEYS, -month, -id), read backwards:
            # SELECT … FROM coverage_bill WHERE [month = %s AND] (month, id) < (%s, %s)
            #   ORDER BY month DESC, id DESC LIMIT 51
            models.Index(fields=["month", "id"], name="coverage_bill_month_id"),
        ]

    def __str__(self):
        return self.number

    @property
    def outstanding(self):
        return self.total - self.paid


class Contribution(models.Model):
    """One participation's contribution for one month, by programme and payer, in whole rupiah
    (each amount rounded half-up from basis × rate; the basis and rates are kept so the unrounded
    value is reproducible: exact = basis × rate in the run's `rates`)."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="contributions")
    # No separate index: the unique (participation, month) constraint serves lookups by participation.
    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="contributions", db_index=False
    )
    month = models.DateField(_("month"))
    basis = RupiahField(_("basis"))
    jp_basis = RupiahField(_("JP basis"), default=0)
    jkk = RupiahField("JKK", default=0)
    jkm = RupiahField("JKM", default=0)
    jht_employer = RupiahField(_("JHT employer"), default=0)
    jht_worker = RupiahField(_("JHT worker"), default=0)
    jp_employer = RupiahField(_("JP employer"), default=0)
    jp_worker = RupiahField(_("JP worker"), default=0)
    pmi_package = RupiahField(_("PMI package"), default=0)
    employer_part = RupiahField(_("employer/sponsor part"), default=0)
    worker_part = RupiahField(_("worker part"), default=0)
    total = RupiahField(_("total"), default=0)
    paid = models.BooleanField(_("paid"), default=False)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "month"], name="coverage_one_contribution_per_month"
            )
        ]

    def __str__(self):
        return f"{self.participation_id} {self.month:%Y-%m}: {self.total}"


class Payment(TimeStampedModel):
    """Money received against a bill, entered by hand or imported from a bank statement."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("entered")
        IMPORT = "import", _("imported")

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    amount = RupiahField(_("amount"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=100)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["bill", "reference"], name="coverage_payment_ref_once")
        ]
