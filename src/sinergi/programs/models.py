"""Welfare programs: the program engine (eligibility, targets, applications), the Kartu Pekerja Jakarta,
aid distributions, Jakpreneur training and the union cooperative. DOMAIN.md §3; issue #5."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.core.models import TimeStampedModel
from sinergi.core.money import RupiahField


class Program(TimeStampedModel):
    class Kind(models.TextChoices):
        WORKER_CARD = "worker_card", _("worker card")
        AID = "aid", _("aid distribution")
        TRAINING = "training", _("training")
        COOPERATIVE = "cooperative", _("cooperative")
        OTHER = "other", _("other")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="programs", verbose_name=_("owner")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="programs", verbose_name=_("region")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    year = models.PositiveSmallIntegerField(_("program year"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    ump_decree = models.CharField(
        _("UMP decree used"),
        max_length=200,
        blank=True,
        help_text=_(
            "For a wage ceiling: the minimum-wage decree the program year uses (blank: the one in force)."
        ),
    )
    rules = models.JSONField(
        _("eligibility rules"),
        default=list,
        blank=True,
        help_text=_('A list of rules, e.g. [{"rule": "ktp_province", "value": "31"}]; all must pass.'),
    )
    description = models.TextField(_("description"), blank=True)
    card_serial = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self):
        return self.name


class ProgramTarget(models.Model):
    """The annual target (quarter null) and, optionally, its four quarterly parts."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    amount = models.PositiveIntegerField(_("target"))

    class Meta:
        ordering = ["program", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "quarter"], name="programs_target_unique_quarter"
            ),
            models.UniqueConstraint(
                fields=["program", "year"],
                condition=models.Q(quarter__isnull=True),
                name="programs_target_one_annual",
            ),
        ]

    def __str__(self):
        return f"{self.program_id} {self.year} Q{self.quarter or '-'}: {self.amount}"


class NominationBatch(TimeStampedModel):
    """A list of members nominated together by a union official (or an officer)."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="batches")
    union_body = models.ForeignKey(
        "unions.UnionBody", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Application(TimeStampedModel):
    """A person's application or nomination for a program; approved = entitled."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("nominated")
        VERIFIED = "verified", _("verified")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="program_applications"
    )
    batch = models.ForeignKey(
        NominationBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    union_body = models.ForeignKey(
        "unions.UnionBody", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOMINATED, db_index=True
    )
    declared_wage = RupiahField(_("wage"), null=True, blank=True)
    wage_ceiling = RupiahField(_("wage ceiling"), null=True, blank=True)
    coverage_wage = RupiahField(_("wage reported to BPJS Ketenagakerjaan"), null=True, blank=True)
    eligibility = models.JSONField(_("eligibility check"), default=list, blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person"],
                condition=~models.Q(status="rejected"),
                name="programs_one_open_application",
            )
        ]

    def __str__(self):
        return f"{self.program.code}: {self.person.name}"


class ApplicationEvent(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


def _document_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower()[:5]
    return f"programs/documents/{instance.application.program_id}/{instance.application_id}/{instance.kind}.{ext}"


class ApplicationDocument(TimeStampedModel):
    class Kind(models.TextChoices):
        KTP = "ktp", _("KTP (identity card)")
        KK = "kk", _("KK (family card)")
        NPWP = "npwp", _("NPWP (tax number)")
        PAYSLIP = "payslip", _("latest payslip")
        EMPLOYMENT_LETTER = "employment_letter", _("employment letter")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="programs_one_document_per_kind")
        ]


class Card(TimeStampedModel):
    """A Kartu Pekerja Jakarta. The QR code carries a signed token naming the card number only."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        REPLACED = "replaced", _("replaced")
        REVOKED = "revoked", _("revoked")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cards")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="cards")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="program_cards")
    union_body = models.ForeignKey(
        "unions.UnionBody", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("card number"), max_length=30, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    issued_on = models.DateField(_("issued"), db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    revoked_reason = models.CharField(_("reason"), max_length=300, blank=True)
    handed_over_on = models.DateField(_("handed over"), null=True, blank=True)
    handover_place = models.CharField(_("place"), max_length=200, blank=True)
    handover_event = models.CharField(pgettext_lazy("handover ceremony", "event"), max_length=200, blank=True)
    handed_over_by = models.CharField(_("handed over by"), max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person"],
                condition=models.Q(status="active"),
                name="programs_one_active_card",
            )
        ]

    def __str__(self):
        return self.number


class Distribution(TimeStampedModel):
    """An aid distribution (e.g. May Day sembako packages) with its stock of packages."""

    program = models.ForeignKey(Program, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    event_date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    package = models.CharField(_("package"), max_length=120)
    stock_received = models.PositiveIntegerField(_("packages received"))
    stock_returned = models.PositiveIntegerField(_("packages returned"), default=0)

    class Meta:
        ordering = ["-event_date", "name"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")

    def __str__(self):
        return self.name


class Allocation(models.Model):
    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="allocations")
    union_body = models.ForeignKey("unions.UnionBody", on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveIntegerField(_("verified members"), default=0)
    quota = models.PositiveIntegerField(_("quota"))

    class Meta:
        ordering = ["distribution", "-quota"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "union_body"], name="programs_one_allocation_per_body"
            )
        ]

    def __str__(self):
        return f"{self.union_body_id}: {self.quota}"


def _proof_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower()[:5]
    return f"programs/handovers/{instance.distribution_id}/{instance.person_id}.{ext}"


class Handover(models.Model):
    """One package to one person. At most one per person per distribution: a database constraint."""

    distribution = models.ForeignKey(Distribution, on_delete=models.PROTECT, related_name="handovers")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="aid_handovers")
    union_body = models.ForeignKey(
        "unions.UnionBody", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    identified_by = models.CharField(_("identified by"), max_length=10)  # "nik" or "card"
    handed_at = models.DateTimeField(_("handed over at"))
    place = models.CharField(_("place"), max_length=200)
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proof = models.FileField(_("photo or signature"), upload_to=_proof_path, blank=True, max_length=300)

    class Meta:
        ordering = ["-handed_at"]
        constraints = [
            models.UniqueConstraint(fields=["distribution", "person"], name="programs_one_package_per_person")
        ]

    def __str__(self):
        return f"{self.distribution_id}/{self.person_id}"


class Course(models.Model):
    """A Jakpreneur course; `level` orders a track (1 entrepreneurship basics → 2 e-order)."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="courses")
    track = models.CharField(_("track"), max_length=60, default="jakpreneur")
    level = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["track", "level"]
        constraints = [
            models.UniqueConstraint(fields=["program", "track", "level"], name="programs_course_level")
        ]

    def __str__(self):
        return self.name


class Cohort(TimeStampedModel):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    sessions = models.PositiveSmallIntegerField(_("sessions"), default=1)
    min_attendance = models.PositiveSmallIntegerField(_("sessions required to complete"), default=1)

    class Meta:
        ordering = ["-start_date"]

    def __str__(self):
        return self.name


class Enrolment(TimeStampedModel):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        COMPLETED = "completed", _("completed")
        DROPPED = "dropped", _("dropped out")

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="enrolments")
    union_body = models.ForeignKey(
        "unions.UnionBody", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ENROLLED, db_index=True
    )
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate"), max_length=40, blank=True)

    class Meta:
        ordering = ["cohort", "person"]
        constraints = [models.UniqueConstraint(fields=["cohort", "person"], name="programs_one_enrolment")]


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.PositiveSmallIntegerField(_("session"))
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="programs_one_attendance")
        ]

    def __str__(self):
        return f"{self.enrolment_id} #{self.session}"


class Cooperative(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    union_body = models.ForeignKey("unions.UnionBody", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    launched_on = models.DateField(_("launched"))
    pokok_amount = RupiahField(_("simpanan pokok (bylaws)"))
    wajib_amount = RupiahField(_("simpanan wajib per month (bylaws)"))
    member_serial = models.PositiveIntegerField(default=0, editable=False)

    def __str__(self):
        return self.short_name or self.name


class CoopMember(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        LEFT = "left", _("left")

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="coop_memberships")
    union_body = models.ForeignKey("unions.UnionBody", on_delete=models.PROTECT, related_name="+")
    member_number = models.CharField(_("member number"), max_length=30)
    joined_on = models.DateField(_("joined"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["cooperative", "member_number"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "person"], name="programs_coop_one_membership"),
            models.UniqueConstraint(
                fields=["cooperative", "member_number"], name="programs_coop_member_number"
            ),
        ]

    def __str__(self):
        return f"{self.member_number} {self.person.name}"


class SavingsEntry(models.Model):
    """One line of a member's savings ledger: a deposit (+) or a withdrawal (−) of one kind."""

    class Kind(models.TextChoices):
        POKOK = "pokok", _("simpanan pokok")
        WAJIB = "wajib", _("simpanan wajib")
        SUKARELA = "sukarela", _("simpanan sukarela")

    member = models.ForeignKey(CoopMember, on_delete=models.PROTECT, related_name="savings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    entry_date = models.DateField(_("date"))
    amount = RupiahField(_("amount"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member", "entry_date", "id"]
        indexes = [models.Index(fields=["member", "kind"])]

    def __str__(self):
        return f"{self.kind} {self.amount}"


class CoopSettlement(models.Model):
    """The settlement of a member's cooperative share when membership ends by death (paid out to the
    heirs) or otherwise: the balances of each savings kind withdrawn on one date, kept as a record."""

    member = models.OneToOneField(CoopMember, on_delete=models.PROTECT, related_name="settlement")
    settled_on = models.DateField(_("settled on"))
    reason = models.CharField(_("reason"), max_length=200)
    payee = models.CharField(_("paid to"), max_length=200, blank=True)
    pokok = RupiahField(_("simpanan pokok"), default=0)
    wajib = RupiahField(_("simpanan wajib"), default=0)
    sukarela = RupiahField(_("simpanan sukarela"), default=0)
    total = RupiahField(_("total"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cooperative settlement")
        verbose_name_plural = _("cooperative settlements")

    def __str__(self):
        return f"{self.member_id}: {self.total}"
