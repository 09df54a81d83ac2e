"""Benefit claims: a case per event, its claims, documents, heirs, decisions, scholarship years and payments.

Workflow (services.py): submitted -> verified -> approved -> paid, or rejected. The verifier and the
approver are different officers; a claim has at most one Payment (unique), so it is paid exactly once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.core.models import TimeStampedModel
from sinergi.core.money import RupiahField
from sinergi.core.privacy import mask_tail
from sinergi.registry.models import FamilyMember


class EventType(models.TextChoices):
    DEATH = "death", _("death")
    ACCIDENT = "accident", _("work accident")
    DISMISSAL = "dismissal", _("dismissal (PHK)")
    RESIGNATION = "resignation", _("resignation")
    RETIREMENT = "retirement", _("retirement")
    DISABILITY = "disability", _("disability")


class Benefit(models.TextChoices):
    JKM = "JKM", _("JKM (death benefit)")
    JKK = "JKK", _("JKK (work accident)")
    JHT = "JHT", _("JHT (old-age savings)")
    JP = "JP", _("JP (pension)")
    JKP = "JKP", _("JKP (job loss)")
    BEASISWA = "BEASISWA", _("scholarship")


# Which benefits an event may give rise to.
BENEFITS_BY_EVENT = {
    EventType.DEATH: {Benefit.JKM, Benefit.JKK, Benefit.JHT, Benefit.JP, Benefit.BEASISWA},
    EventType.ACCIDENT: {Benefit.JKK, Benefit.BEASISWA},
    EventType.DISMISSAL: {Benefit.JKP, Benefit.JHT},
    EventType.RESIGNATION: {Benefit.JHT},
    EventType.RETIREMENT: {Benefit.JHT, Benefit.JP},
    EventType.DISABILITY: {Benefit.JKK, Benefit.JHT, Benefit.JP, Benefit.BEASISWA},
}


class ClaimCase(TimeStampedModel):
    """One event in a participant's life (a death, an accident, a dismissal …) and the claims it opens."""

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="claim_cases", verbose_name=_("participant")
    )
    event_type = models.CharField(_("event"), max_length=20, choices=EventType.choices, db_index=True)
    event_date = models.DateField(_("event date"))
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The participant's district when the case was opened; scopes who sees the case."),
    )
    branch = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_cases",
        verbose_name=_("branch"),
    )
    employer = models.ForeignKey(
        "registry.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_cases",
        verbose_name=_("employer"),
    )
    description = models.TextField(_("description"), blank=True)
    ceremonial = models.BooleanField(
        _("ceremonial hand-over"), default=False, help_text=_("Paid in a public ceremony (e.g. May Day).")
    )
    ceremony_date = models.DateField(_("ceremony date"), null=True, blank=True)
    ceremony_place = models.CharField(_("ceremony place"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-event_date", "-id"]
        verbose_name = _("claim case")
        verbose_name_plural = _("claim cases")
        indexes = [models.Index(fields=["region", "event_date"])]

    def __str__(self):
        return f"{self.reference} {self.get_event_type_display()}"


class Claim(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        VERIFIED = "verified", _("verified")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        PAID = "paid", _("paid")

    case = models.ForeignKey(
        ClaimCase, on_delete=models.CASCADE, related_name="claims", verbose_name=_("case")
    )
    benefit = models.CharField(_("benefit"), max_length=10, choices=Benefit.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    # claimant / payee: the participant or an heir from the family record
    claimant_name = models.CharField(_("claimant"), max_length=200)
    claimant_nik = models.CharField(_("claimant NIK"), max_length=16, blank=True)
    claimant_relation = models.CharField(_("relation to the participant"), max_length=20, blank=True)
    heir = models.ForeignKey(
        "registry.FamilyMember",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("heir"),
    )
    heir_rank = models.PositiveSmallIntegerField(_("heir priority rank"), null=True, blank=True)
    heir_override_reason = models.TextField(_("reason for choosing another heir"), blank=True)
    # the quote the amount comes from (inputs, lines, conditions, legal basis)
    quote_inputs = models.JSONField(_("quote inputs"), default=dict, blank=True)
    quote = models.JSONField(_("quote"), default=dict, blank=True)
    amount = RupiahField(_("amount"), default=0)
    provisional = models.BooleanField(_("uses provisional figures"), default=False)
    # service clock
    documents_complete_on = models.DateField(_("documents complete on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    # verification and decision (maker-checker)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification = models.JSONField(_("verification"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    letter_number = models.CharField(_("letter number"), max_length=60, blank=True)
    # payment instruction
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=30, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(fields=["case", "benefit"], name="claims_one_claim_per_benefit_per_case"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="claims_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.case.reference}/{self.benefit}"

    @property
    def masked_account(self) -> str:
        return mask_tail(self.bank_account)

    @property
    def claimant_relation_label(self) -> str:
        if self.claimant_relation == "self":
            return str(_("the participant"))
        try:
            return str(FamilyMember.Relation(self.claimant_relation).label)
        except ValueError:
            return self.claimant_relation

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.VERIFIED, self.Status.APPROVED)


class ClaimEvent(models.Model):
    """One row per transition: the claim's history (who, when, from, to, note)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.claim_id}: {self.from_status} -> {self.to_status}"

    @property
    def from_label(self) -> str:
        return str(Claim.Status(self.from_status).label) if self.from_status else "–"

    @property
    def to_label(self) -> str:
        return str(Claim.Status(self.to_status).label)


class DocumentType(models.TextChoices):
    PARTICIPANT_CARD = "participant_card", _("participant card")
    KTP = "ktp", _("KTP of the participant and heirs")
    DEATH_CERTIFICATE = "death_certificate", _("death certificate (akta kematian)")
    KK = "kk", _("family card (KK)")
    HEIRSHIP_LETTER = "heirship_letter", _("heirship letter (surat keterangan ahli waris)")
    MARRIAGE_BOOK = "marriage_book", _("marriage book (buku nikah)")
    BANK_BOOK = "bank_book", _("bank book")
    NPWP = "npwp", _("NPWP (benefit above Rp50 million)")
    EMPLOYER_LETTER = "employer_letter", _("work reference / employer letter")
    ACCIDENT_REPORT = "accident_report", _("work accident report")
    MEDICAL_REPORT = "medical_report", _("doctor's statement")
    PHK_PROOF = "phk_proof", _("proof of dismissal (PHK)")
    RESIGNATION_LETTER = "resignation_letter", _("resignation letter / paklaring")
    BIRTH_CERTIFICATE = "birth_certificate", _("child's birth certificate")
    SCHOOL_PROOF = "school_proof", _("proof of active schooling / report card")
    OTHER = "other", _("other document")


class ClaimDocument(TimeStampedModel):
    """An uploaded document. Stored under MEDIA_ROOT/claims/; served only through a permission-checked view."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    file = models.FileField(_("file"), upload_to="claims/%Y/%m/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(pgettext_lazy("file", "size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scholarship_year = models.ForeignKey(
        "ScholarshipYear", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )

    class Meta:
        ordering = ["doc_type", "id"]
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")

    def __str__(self):
        return f"{self.get_doc_type_display()}: {self.original_name}"


class ScholarshipYear(models.Model):
    """One school year of one child's scholarship; released on proof of schooling."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        RELEASED = "released", _("released")
        STOPPED = "stopped", _("stopped")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="scholarship_years")
    child = models.ForeignKey("registry.FamilyMember", on_delete=models.PROTECT, related_name="+")
    year_index = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("school year from"))
    level = models.CharField(pgettext_lazy("school", "level"), max_length=3)
    grade = models.PositiveSmallIntegerField(_("grade"))
    amount = RupiahField(_("amount"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["child", "year_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "child", "year_index"], name="claims_one_scholarship_year"
            )
        ]

    def __str__(self):
        return f"{self.child.name} {self.level} {self.grade}"


class Payment(models.Model):
    """The one payment of a claim (the first scholarship year for BEASISWA; later years are releases).

    `claim` is unique: a second payment of the same claim is impossible at the database level."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="payment")
    amount = RupiahField(_("amount"))
    paid_on = models.DateField(_("paid on"))
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    reference = models.CharField(_("transfer reference"), max_length=60, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=30, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=200, blank=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="claims_payment_positive")
        ]

    def __str__(self):
        return f"{self.claim} {self.amount}"

    @property
    def masked_account(self) -> str:
        return mask_tail(self.bank_account)
