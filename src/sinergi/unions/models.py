"""Union bodies and their hierarchy, recording at the manpower agency, officials and members.
UU 21/2000; Kepmenakertrans KEP.16/MEN/2001; DOMAIN.md §4."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.core.models import TimeStampedModel


class UnionBody(TimeStampedModel):
    """A confederation, federation, union, or a level inside a federation (DPW, PC, PUK …).

    `path` is the materialised ancestry ("/1/4/9/") so a subtree is one indexed prefix query;
    member counts are stored (own and rolled up without double counting), never computed in lists.
    """

    class Kind(models.TextChoices):
        CONFEDERATION = "confederation", _("confederation")
        FEDERATION = "federation", _("federation")
        UNION = "union", _("union")
        UNIT = "unit", _("federation level unit")

    name = models.CharField(_("name"), max_length=200, db_index=True)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.ForeignKey(
        "unions.UnionLevel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
        verbose_name=_("level"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="union_bodies", verbose_name=_("region")
    )
    employer = models.ForeignKey(
        "registry.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="union_units",
        verbose_name=_("company"),
        help_text=_("For a workplace unit (PUK): the company."),
    )
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    member_count = models.PositiveIntegerField(_("verified members"), default=0)
    member_count_rollup = models.PositiveIntegerField(_("verified members incl. lower bodies"), default=0)

    class Meta:
        ordering = ["path", "name"]
        verbose_name = _("union body")
        verbose_name_plural = _("union bodies")

    def __str__(self):
        return self.short_name or self.name


class UnionLevel(models.Model):
    """A federation's own level names (Art. 8 leaves the hierarchy to each AD/ART)."""

    federation = models.ForeignKey(UnionBody, on_delete=models.CASCADE, related_name="levels")
    order = models.PositiveSmallIntegerField(pgettext_lazy("sort order", "order"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["federation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "code"], name="unions_level_unique_code")
        ]
        verbose_name = _("union level")
        verbose_name_plural = _("union levels")

    def __str__(self):
        return f"{self.code} ({self.name})"


class UnionRegistration(TimeStampedModel):
    """Recording (pencatatan) at the kabupaten/kota manpower agency. The record number is free text."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        SUSPENDED = "suspended", _("suspended (papers incomplete)")
        RETURNED = "returned", _("returned")
        RECORDED = "recorded", _("recorded")
        DELETED = "deleted", _("deleted (moved)")
        REVOKED = "revoked", _("revoked (dissolved)")

    body = models.ForeignKey(UnionBody, on_delete=models.CASCADE, related_name="registrations")
    agency = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="union_registrations",
        verbose_name=_("agency"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    submitted_on = models.DateField(_("submitted on"))
    record_number = models.CharField(_("record number"), max_length=120, blank=True)
    record_date = models.DateField(_("record date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-submitted_on"]
        verbose_name = _("union registration")
        verbose_name_plural = _("union registrations")

    def __str__(self):
        return f"{self.body} {self.record_number or self.get_status_display()}"


class UnionOfficial(TimeStampedModel):
    body = models.ForeignKey(UnionBody, on_delete=models.CASCADE, related_name="officials")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="union_positions")
    position = models.CharField(_("position"), max_length=120)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)

    class Meta:
        ordering = ["body", "-term_start"]
        verbose_name = _("union official")
        verbose_name_plural = _("union officials")

    def __str__(self):
        return f"{self.position}: {self.person.name}"


class Membership(TimeStampedModel):
    """A person's membership of a union body. One active union per worker per company (Art. 14)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        LEFT = "left", _("left")
        SUSPENDED = "suspended", _("suspended")

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="memberships")
    # (body, status) below leads with body: a second index on body alone is not needed
    body = models.ForeignKey(UnionBody, on_delete=models.PROTECT, related_name="memberships", db_index=False)
    employer = models.ForeignKey(
        "registry.Employer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("company"),
    )
    member_number = models.CharField(_("member number"), max_length=40, blank=True)
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    verified = models.BooleanField(_("verified"), default=False)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    # no query orders or filters memberships by creation time (docs/registry.md, indexes)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["body", "person"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "body"],
                condition=models.Q(status="active"),
                name="unions_one_active_per_body",
            ),
            models.UniqueConstraint(
                fields=["person", "employer"],
                condition=models.Q(status="active", employer__isnull=False),
                name="unions_one_union_per_company",
            ),
        ]
        indexes = [
            models.Index(fields=["body", "status"]),
            # the API list's keyset order (unions.selectors.MEMBERSHIP_SORT_KEYS)
            models.Index(fields=["body", "person", "id"], name="unions_memb_body_person_id"),
        ]

    def __str__(self):
        return f"{self.person.name} ∈ {self.body}"
