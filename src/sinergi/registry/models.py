"""The registry of people (by NIK), their families and heirs, and employers. DOMAIN.md §6."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.core.models import TimeStampedModel
from sinergi.core.money import RupiahField
from sinergi.core.privacy import mask_nik
from sinergi.registry.normalize import name_key


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Employer(TimeStampedModel):
    class Size(models.TextChoices):
        MICRO = "micro", _("micro")
        SMALL = "small", _("small")
        MEDIUM = "medium", _("medium")
        LARGE = "large", _("large")

    name = models.CharField(_("name"), max_length=200, db_index=True)
    nib = models.CharField(_("NIB"), max_length=20, blank=True, db_index=True)
    npwp = models.CharField(_("NPWP"), max_length=20, blank=True, db_index=True)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    jkk_risk_class = models.PositiveSmallIntegerField(
        _("JKK risk class"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("PP 44/2015 Annex I: 1 very low … 5 very high."),
    )
    labour_intensive_industry = models.CharField(
        _("labour-intensive industry"),
        max_length=40,
        blank=True,
        help_text=_("One of the six industries of PP 7/2025 (JKK discount Feb–Jul 2025), if any."),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="employers", verbose_name=_("region")
    )
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, default=Size.SMALL)
    address = models.CharField(_("address"), max_length=300, blank=True)
    bpjs_number = models.CharField(_("BPJS employer number"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self):
        return self.name


class Person(TimeStampedModel):
    """A person identified by NIK: worker, family member or heir. NIK is unique by construction."""

    class EmploymentType(models.TextChoices):
        FORMAL = "formal", _("formal (wage earner)")
        INFORMAL = "informal", _("informal")
        NONE = "none", _("not working")

    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    kk_number = models.CharField(_("KK number"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False, help_text="normalised name for search")
    birth_place = models.CharField(_("birth place"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    domicile_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("domicile (district)"),
        db_index=False,  # one prefix index in Meta serves both = and LIKE 'code%'
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    employment_type = models.CharField(
        _("employment"),
        max_length=10,
        choices=EmploymentType.choices,
        default=EmploymentType.FORMAL,
    )
    informal_sector = models.CharField(_("informal sector"), max_length=120, blank=True)
    declared_income = RupiahField(_("declared monthly income"), null=True, blank=True)
    is_vulnerable = models.BooleanField(_("vulnerable worker"), default=False)
    vulnerable_reason = models.CharField(_("reason"), max_length=200, blank=True)
    welfare_decile = models.PositiveSmallIntegerField(
        _("DTSEN welfare decile"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    is_deceased = models.BooleanField(_("deceased"), default=False)
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    # no query orders or filters people by creation time: no index to maintain on every import
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # Only indexes that a query uses (docs/registry.md lists each one with its query); every
        # index costs the member import a write per row.
        indexes = [
            models.Index(
                fields=["domicile_region"], opclasses=["varchar_pattern_ops"], name="registry_person_region"
            ),
            models.Index(fields=["kk_number"], name="registry_person_kk"),
            models.Index(fields=["occupation"], name="registry_person_occupation"),
            models.Index(
                fields=["is_vulnerable"],
                condition=models.Q(is_vulnerable=True),
                name="registry_person_vulnerable",
            ),
            models.Index(fields=["birth_date"]),
        ]

    def __str__(self):
        return f"{self.name} ({mask_nik(self.nik)})"

    @property
    def masked_nik(self) -> str:
        return mask_nik(self.nik)

    def save(self, *args, **kwargs):

        self.name_key = name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields and "name_key" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "name_key"]
        super().save(*args, **kwargs)


class Employment(TimeStampedModel):
    """Formal employment: employer, dates and the reported monthly wage (base + fixed allowances)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    # (employer, end_date) below leads with employer: a second index on employer alone is not needed
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="employments", db_index=False
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    wage = RupiahField(_("monthly wage"), null=True, blank=True)
    work_region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("work location"),
    )

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        indexes = [models.Index(fields=["employer", "end_date"])]

    def __str__(self):
        return f"{self.person.name} @ {self.employer.name}"


class FamilyMember(TimeStampedModel):
    """A member of a person's family (from the KK): the data claims use to propose heirs."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        PARENT = "parent", pgettext_lazy("family relation", "parent")
        GRANDCHILD = "grandchild", _("grandchild")
        GRANDPARENT = "grandparent", _("grandparent")
        SIBLING = "sibling", _("sibling")
        PARENT_IN_LAW = "parent_in_law", _("parent-in-law")
        OTHER = "other", _("other")

    class SchoolLevel(models.TextChoices):
        NONE = "", _("not in school")
        TK = "TK", _("kindergarten (TK)")
        SD = "SD", _("primary (SD)")
        SMP = "SMP", _("junior secondary (SMP)")
        SMA = "SMA", _("senior secondary (SMA)")
        HIGHER = "PT", _("higher education / training")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="family")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    relative = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relative_of",
        verbose_name=_("registry record"),
    )
    name = models.CharField(_("name"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    school_level = models.CharField(_("school level"), max_length=3, choices=SchoolLevel.choices, blank=True)
    school_grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    is_married = models.BooleanField(_("married"), default=False)
    is_working = models.BooleanField(_("working"), default=False)
    is_alive = models.BooleanField(_("alive"), default=True)

    class Meta:
        ordering = ["person", "relation", "birth_date"]
        verbose_name = _("family member")
        verbose_name_plural = _("family members")

    def __str__(self):
        return f"{self.name} ({self.get_relation_display()})"


class DuplicateCandidate(TimeStampedModel):
    """A probable duplicate pair found by the duplicate job; person_a_id < person_b_id always.

    "not a duplicate" is remembered: the job never proposes a decided pair again.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MERGED = "merged", _("merged")
        NOT_DUPLICATE = "not_duplicate", _("not a duplicate")

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=3)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("probable duplicate")
        verbose_name_plural = _("probable duplicates")
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="registry_duplicate_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="registry_duplicate_pair_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.score})"

    @property
    def evidence_items(self) -> list[tuple[str, str]]:
        """The evidence in words: (what, how it compares), e.g. ("tanggal lahir", "sama")."""
        labels = {
            "name": _("name similarity"),
            "birth_date": _("birth date"),
            "regency": _("same regency"),
            "domicile": _("same domicile"),
            "address": _("same address"),
            "phone": _("same phone"),
        }
        words = {
            True: _("yes"),
            False: _("no"),
            "same": _("same"),
            "day/month swapped": _("day and month swapped"),
        }
        out = []
        for key, value in (self.evidence or {}).items():
            if isinstance(value, float):
                shown = formats.number_format(value, 2)
            else:
                shown = words.get(value, value) if isinstance(value, (bool, str)) else value
            out.append((str(labels.get(key, key)), str(shown)))
        return out


class ImportMapping(TimeStampedModel):
    """How a union body's member lists map their column headers to fields, remembered for the next file."""

    body = models.OneToOneField(
        "unions.UnionBody",
        on_delete=models.CASCADE,
        related_name="import_mapping",
        verbose_name=_("union body"),
    )
    mapping = models.JSONField(_("column mapping"), default=dict, help_text="normalised header -> field")

    class Meta:
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")

    def __str__(self):
        return str(self.body_id)
