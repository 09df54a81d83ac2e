"""Forms for people, family members, employers, NIK reveals, imports and duplicate decisions."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sinergi.core.paging import decode_cursor
from sinergi.core.privacy import is_personal, mask_field
from sinergi.registry.import_checks import FIELDS
from sinergi.registry.models import DuplicateCandidate, Employer, FamilyMember, Person, Sex
from sinergi.unions.models import UnionBody, UnionRegistration

CURSOR_ERROR = _("This page link is no longer valid; the first page is shown.")


def _region_code(value: str) -> str:
    """A region code prefix as typed ("32.73", "3273"): digits only, or a field error."""
    code = (value or "").strip().replace(".", "").replace(" ", "")
    if code and not code.isdigit():
        raise forms.ValidationError(_("Type a region code in digits, e.g. 3273 or 32.73."), code="invalid")
    if len(code) > 10:
        raise forms.ValidationError(_("A region code has at most 10 digits."), code="max_length")
    return code


class CursorFormMixin:
    """The keyset cursor of a list (`after` / `before`): text that must decode to this list's keys."""

    cursor_arity = 2

    def _clean_cursor(self, name):
        value = self.cleaned_data.get(name) or ""
        if value and decode_cursor(value, self.cursor_arity) is None:
            raise forms.ValidationError(CURSOR_ERROR, code="invalid")
        return value

    def clean_after(self):
        return self._clean_cursor("after")

    def clean_before(self):
        return self._clean_cursor("before")


class CursorForm(CursorFormMixin, forms.Form):
    after = forms.CharField(label=_("Next page"), required=False, max_length=1000)
    before = forms.CharField(label=_("Previous page"), required=False, max_length=1000)


class PersonFilterForm(CursorFormMixin, forms.Form):
    """The people list's search, filters, keyset cursor and export choice (GET)."""

    q = forms.CharField(label=_("NIK, name, member or KK number"), max_length=200, required=False)
    region = forms.CharField(label=_("Region code"), max_length=20, required=False)
    body = forms.IntegerField(label=_("Union body"), min_value=1, max_value=2**63 - 1, required=False)
    employer = forms.IntegerField(label=_("Employer"), min_value=1, max_value=2**63 - 1, required=False)
    employment = forms.ChoiceField(
        label=_("Employment"), choices=[("", "–"), *Person.EmploymentType.choices], required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "–"), *Sex.choices], required=False)
    vulnerable = forms.BooleanField(label=_("vulnerable only"), required=False)
    after = forms.CharField(label=_("Next page"), required=False, max_length=1000)
    before = forms.CharField(label=_("Previous page"), required=False, max_length=1000)
    export = forms.ChoiceField(
        label=_("Export"), choices=[("", "–"), ("xlsx", "XLSX"), ("csv", "CSV")], required=False
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300, required=False)

    def __init__(self, *args, bodies, employers, keys=("sort_name", "pk"), **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies, self.employers, self.cursor_arity = bodies, employers, len(keys)

    def clean_region(self):
        return _region_code(self.cleaned_data.get("region"))

    def clean_body(self):
        pk = self.cleaned_data.get("body")
        if pk is not None and not self.bodies.filter(pk=pk).exists():
            raise forms.ValidationError(_("This union body is not in your scope."), code="scope")
        return pk

    def clean_employer(self):
        pk = self.cleaned_data.get("employer")
        if pk is not None and not self.employers.filter(pk=pk).exists():
            raise forms.ValidationError(_("This employer is not in your scope."), code="scope")
        return pk

    def query(self) -> dict:
        """The valid parameters as typed, for the export links of the page (errors left out)."""
        return {
            name: self.data[name]
            for name in self.fields
            if name in self.data and name not in self.errors and name not in ("export", "purpose")
        }

    def filters(self) -> dict:
        """The valid filters, for the selector (a field with an error filters nothing)."""
        data = getattr(self, "cleaned_data", {})
        return {
            k: data[k]
            for k in ("q", "region", "body", "employer", "employment", "sex", "vulnerable")
            if data.get(k)
        }


class EmployerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, NIB or NPWP"), max_length=200, required=False)
    region = forms.CharField(label=_("Region code"), max_length=20, required=False)
    size = forms.ChoiceField(label=_("Size"), choices=[("", "–"), *Employer.Size.choices], required=False)

    def clean_region(self):
        return _region_code(self.cleaned_data.get("region"))


class UnionBodyFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    parent = forms.IntegerField(label=_("Parent body"), min_value=1, max_value=2**63 - 1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "–"), *UnionBody.Kind.choices]


class DuplicateFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("all", _("all")), *DuplicateCandidate.Status.choices],
        required=False,
    )


class DuplicateDecisionForm(forms.Form):
    """Merge the pair (keeping one of its two people) or remember that they are two people."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("merge", _("Merge")), ("not_duplicate", _("Not a duplicate"))]
    )
    keep = forms.TypedChoiceField(label=_("Keep"), coerce=int, required=False)

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (candidate.person_a_id, candidate.person_a.name),
            (candidate.person_b_id, candidate.person_b.name),
        ]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "merge" and not data.get("keep"):
            self.add_error("keep", _("Choose the record to keep."))
        return data


class TemplateFormatForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")], required=False)


class ImportPrefillForm(forms.Form):
    body = forms.IntegerField(label=_("Union body"), min_value=1, max_value=2**63 - 1, required=False)


class PersonForm(forms.Form):
    # spaces, dots and dashes are allowed here and stripped by the one NIK rule set (rules.nik)
    nik = forms.CharField(label=_("NIK"), max_length=40)
    kk_number = forms.CharField(label=_("KK number"), max_length=16, required=False)
    name = forms.CharField(label=_("Name"), max_length=200)
    birth_place = forms.CharField(label=_("Birth place"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    domicile_region_id = forms.CharField(
        label=_("Domicile district (6-digit code)"),
        max_length=6,
        required=False,
        help_text=_("Blank: the district encoded in the NIK."),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    occupation = forms.CharField(label=_("Occupation"), max_length=120, required=False)
    employment_type = forms.ChoiceField(label=_("Employment"), choices=Person.EmploymentType.choices)
    informal_sector = forms.CharField(label=_("Informal sector"), max_length=120, required=False)
    declared_income = forms.IntegerField(label=_("Declared monthly income (Rp)"), min_value=0, required=False)
    welfare_decile = forms.IntegerField(
        label=_("DTSEN welfare decile"), min_value=1, max_value=10, required=False
    )


class PersonEditForm(PersonForm):
    """Editing a person: personal fields start empty (never prefilled in full) and blank keeps them."""

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not is_personal(name):
                continue
            field.required = False  # blank keeps the recorded value (validators skip empty values)
            field.initial = None
            current = mask_field(name, getattr(person, name, None))
            field.help_text = _(
                "Recorded: %(value)s. Leave blank to keep it; type a new value in full to change it."
            ) % {"value": current or "–"}
            field.widget.attrs["autocomplete"] = "off"


class FamilyMemberForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relation"), choices=FamilyMember.Relation.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    nik = forms.CharField(label=_("NIK"), max_length=40, required=False)
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "–"), *Sex.choices], required=False)
    school_level = forms.ChoiceField(
        label=_("School level"), choices=FamilyMember.SchoolLevel.choices, required=False
    )
    school_grade = forms.IntegerField(label=_("Grade"), min_value=1, max_value=12, required=False)
    is_married = forms.BooleanField(label=_("Married"), required=False)
    is_working = forms.BooleanField(label=_("Working"), required=False)


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    nib = forms.CharField(label=_("NIB"), max_length=20, required=False)
    npwp = forms.CharField(label=_("NPWP"), max_length=20, required=False)
    sector = forms.CharField(label=_("Sector"), max_length=120, required=False)
    jkk_risk_class = forms.IntegerField(label=_("JKK risk class"), min_value=1, max_value=5, initial=1)
    region_id = forms.CharField(label=_("Region code"), max_length=6)
    size = forms.ChoiceField(label=_("Size"), choices=Employer.Size.choices)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)


class SubjectExportForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("E.g. the person's written request and its date."),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", "XLSX"), ("json", "JSON")], initial="xlsx"
    )


class RevealForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Member list (XLSX or CSV)"))
    body = forms.ChoiceField(label=_("Union body"), required=False)
    strict = forms.BooleanField(
        label=_("All or nothing: if any row is rejected, write nothing"), required=False
    )

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("– none (people only) –"))] + [(b.pk, str(b)) for b in bodies]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.SINERGI_MAX_UPLOAD_MB * 1024 * 1024
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1048576, 1), "limit": settings.SINERGI_MAX_UPLOAD_MB}
            )
        return upload


class ImportColumnsForm(forms.Form):
    """The official's correction of the detected mapping: one choice per column of the header row."""

    header_row = forms.IntegerField(label=_("Header row"), min_value=1, required=False)

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("– not imported –"))] + [(k, f.label) for k, f in FIELDS.items()]
        self.columns = list(columns)
        for col in self.columns:
            self.fields[f"col_{col['column']}"] = forms.ChoiceField(
                label=f"{col['letter']}: {col['header']}",
                choices=choices,
                required=False,
                initial=col["field"],
            )

    def clean(self):
        data = super().clean()
        chosen = [data.get(f"col_{c['column']}") for c in self.columns]
        for key, label in (("nik", _("NIK")), ("name", _("Name"))):
            if key not in chosen:
                raise forms.ValidationError(
                    _("Choose the column that holds the %(field)s.") % {"field": label}
                )
        return data

    def mapping(self) -> dict:
        return {c["column"]: self.cleaned_data.get(f"col_{c['column']}") or "" for c in self.columns}


class UnionBodyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=80, required=False)
    kind = forms.ChoiceField(label=_("Kind"))
    level = forms.ChoiceField(label=_("Level"), required=False)
    region_id = forms.CharField(label=_("Region code"), max_length=6)
    employer = forms.ChoiceField(label=_("Company (for a workplace unit)"), required=False)
    sector = forms.CharField(label=_("Sector"), max_length=120, required=False)

    def __init__(self, *args, kinds=(), levels=(), employers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)
        self.fields["level"].choices = [("", "–")] + [(lv.pk, f"{lv.code} ({lv.name})") for lv in levels]
        self.fields["employer"].choices = [("", "–")] + [(e.pk, e.name) for e in employers]


class RegistrationDecisionForm(forms.Form):
    registration = forms.ModelChoiceField(
        queryset=UnionRegistration.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This recording request is not in your scope.")},
    )
    status = forms.ChoiceField(label=_("Decision"))
    record_number = forms.CharField(label=_("Record number"), max_length=120, required=False)
    record_date = forms.DateField(
        label=_("Record date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, registrations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if registrations is not None:
            self.fields["registration"].queryset = registrations
        self.fields["status"].choices = [
            (s, label)
            for s, label in UnionRegistration.Status.choices
            if s != UnionRegistration.Status.SUBMITTED
        ]


class OfficialForm(forms.Form):
    nik = forms.CharField(label=_("NIK of the official"), max_length=16, min_length=16)
    position = forms.CharField(label=_("Position"), max_length=120)
    term_start = forms.DateField(label=_("Term start"), widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(
        label=_("Term end"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
