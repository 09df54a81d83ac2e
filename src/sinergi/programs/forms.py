"""Programs forms: parse and validate what officers type; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.accounts.scoping import user_scope
from sinergi.programs.models import (
    Application,
    ApplicationDocument,
    Card,
    Course,
    Program,
    SavingsEntry,
)
from sinergi.regions.models import Region
from sinergi.registry.models import Person


class HandoverForm(forms.Form):
    """Who received a package; the service checks the person, the card and the proof."""

    nik = forms.CharField(label=_("NIK"), max_length=32, required=False)
    card_number = forms.CharField(label=_("Card number"), max_length=40, required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    proof = forms.FileField(label=_("Proof (photo)"), required=False)


class ReturnForm(forms.Form):
    count = forms.IntegerField(
        label=_("Packages returned"),
        min_value=0,
        max_value=10_000_000,
        error_messages={"invalid": _("Enter the number of packages as a whole number, e.g. 5.")},
    )


class AllocateForm(forms.Form):
    bodies = forms.TypedMultipleChoiceField(label=_("Union bodies"), coerce=int, choices=())

    def __init__(self, *args, body_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].choices = list(body_choices)


# ---------------------------------------------------------------- shared pieces


class PageForm(forms.Form):
    """`?page=` of a list; anything that is not a page number shows the first page."""

    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)


def _digits(value: str) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())


class NikField(forms.CharField):
    """A NIK: 16 digits (spaces and dots an officer types are dropped)."""

    default_error_messages = {"invalid": _("A NIK has 16 digits.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("NIK"))
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        digits = _digits(value)
        if len(digits) != 16:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return digits


class IdListField(forms.Field):
    """Several ids ticked in a list (`?ids=1&ids=2`); each must be a positive whole number."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("The selection is not valid; reload the page and tick again.")}

    def __init__(self, *, max_items=50_000, **kwargs):
        self.max_items = max_items
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, (list, tuple)) or len(value) > self.max_items:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        out = []
        for raw in value:
            raw = str(raw).strip()
            if not raw.isdigit() or len(raw) > 12 or int(raw) < 1:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            out.append(int(raw))
        return sorted(set(out))


class RupiahInputField(forms.CharField):
    """Whole rupiah as officers type them: "100000", "100.000", "Rp 100.000" (dots group thousands);
    a minus sign for a withdrawal where allowed. Never read "100.000" as one hundred."""

    default_error_messages = {
        "invalid": _("Enter the amount in whole rupiah, e.g. 100.000."),
        "negative": _("The amount cannot be negative."),
        "too_large": _("The amount is too large."),
    }

    def __init__(self, *, allow_negative=False, **kwargs):
        self.allow_negative = allow_negative
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if text[:2].lower() == "rp":
            text = text[2:]
        negative = text.startswith("-")
        text = text[1:] if negative else text
        groups = text.split(".")
        ok = text.isdigit() or (
            len(groups) > 1
            and 1 <= len(groups[0]) <= 3
            and groups[0].isdigit()
            and all(len(g) == 3 and g.isdigit() for g in groups[1:])
        )
        if not ok:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        amount = int("".join(groups))
        if negative and not self.allow_negative:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if amount > 1_000_000_000_000:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return -amount if negative else amount


def region_choices(*, user=None, levels=("province", "regency")) -> list[tuple[str, str]]:
    """Regions to pick, provinces and regencies/cities (within the user's scope when a user is given)."""

    qs = Region.objects.filter(level__in=levels).order_by("code")
    if user is not None:
        qs = qs.filter(user_scope(user).region_q("code"))
    return [(r.code, f"{r.name} ({r.code})") for r in qs.only("code", "name")]


# ---------------------------------------------------------------- programs and the rule builder


class ProgramForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30, help_text=_("Short and unique, e.g. KPJ2026."))
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"))
    region = forms.ChoiceField(label=_("Region"))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)
    year = forms.IntegerField(
        label=_("Program year"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("Enter the year as four digits, e.g. 2026.")},
    )
    start_date = forms.DateField(
        label=_("Start"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    ump_decree = forms.CharField(
        label=_("UMP decree used (blank: the one in force)"), max_length=200, required=False
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, program=None, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Program.Kind.choices
        choices = region_choices(user=user)
        if program is not None and program.region_id not in {c for c, _l in choices}:
            choices.append((program.region_id, str(program.region)))
        self.fields["region"].choices = choices
        if program is not None:  # what the program is and where it runs do not change after creation
            for name in ("code", "kind", "region", "year"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The program ends before it starts."))
        return data


class CountContextForm(forms.Form):
    """What the live count needs from the program being edited: where, which year, which dates.
    Every field may be missing or wrong while the officer types; the count then uses today."""

    region = forms.CharField(max_length=10, required=False)
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    start_date = forms.DateField(required=False)
    end_date = forms.DateField(required=False)
    ump_decree = forms.CharField(max_length=200, required=False)


# The builder's vocabulary over the declarative rules of `eligibility`: each field offers its
# operators; each operator says what value it takes. Rows become exactly the JSON rules a program
# stores, and a program's rules become rows again for editing.
RULE_FIELDS = {
    "ktp_province": (_("Identity card (KTP) of the province"), ("is",)),
    "works_in_region": (_("Works in the region"), ("in",)),
    "wage": (_("Wage"), ("within_ceiling",)),
    "employment": (_("Employment type"), ("is",)),
    "union_member": (_("Union membership"), ("active",)),
    "age": (_("Age"), ("at_least", "at_most")),
    "completed_level": (_("Training completed"), ("level",)),
    "vulnerable": (_("Vulnerable worker"), ("registered",)),
}
RULE_OPERATORS = {
    # operator: (label, kind of value per field; None = no value)
    "is": _("is"),
    "in": _("is in"),
    "within_ceiling": _("at most the KPJ ceiling (multiplier × UMP of the year)"),
    "active": _("is active"),
    "at_least": _("at least (years)"),
    "at_most": _("at most (years)"),
    "level": _("level of the track"),
    "registered": _("is registered"),
}
VALUE_KIND = {
    ("ktp_province", "is"): "province",
    ("works_in_region", "in"): "region",
    ("employment", "is"): "employment",
    ("age", "at_least"): "age",
    ("age", "at_most"): "age",
    ("completed_level", "level"): "level",
}
MAX_RULES = 12


def level_choices() -> list[tuple[str, str]]:
    """Training levels that exist (track:level), for "completed level" rules."""

    pairs = sorted(set(Course.objects.values_list("track", "level")))
    return [(f"{t}:{lv}", _("%(track)s level %(level)s") % {"track": t, "level": lv}) for t, lv in pairs]


def value_choices(kind: str | None) -> list[tuple[str, str]] | None:

    if kind == "province":
        return region_choices(levels=("province",))
    if kind == "region":
        return region_choices()
    if kind == "employment":
        return list(Person.EmploymentType.choices)
    if kind == "level":
        return level_choices()
    return None


class RuleRowForm(forms.Form):
    """One row of the rule builder: field, operator, value. An empty row is ignored."""

    field = forms.ChoiceField(label=_("Field"), required=False)
    operator = forms.ChoiceField(label=_("Operator"), required=False)
    value = forms.CharField(label=_("Value"), required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "—")] + [(k, v[0]) for k, v in RULE_FIELDS.items()]
        self.fields["operator"].choices = [("", "—")] + list(RULE_OPERATORS.items())

    def clean(self):
        data = super().clean()
        field, op = data.get("field"), data.get("operator")
        value = (data.get("value") or "").strip()
        data["rule"] = None
        if not field:
            return data
        allowed = RULE_FIELDS[field][1]
        if op not in allowed:
            if len(allowed) == 1 and not op:  # one operator only: take it
                op = data["operator"] = allowed[0]
            else:
                self.add_error(
                    "operator",
                    _("Choose one of: %(ops)s.")
                    % {"ops": ", ".join(str(RULE_OPERATORS[o]) for o in allowed)},
                )
                return data
        kind = VALUE_KIND.get((field, op))
        if kind is None:
            data["rule"] = {"wage": {"rule": "kpj_wage_ceiling"}}.get(field, {"rule": field})
            return data
        if not value:
            self.add_error("value", _("Enter a value for this rule."))
            return data
        if kind == "age":
            if not value.isdigit() or not 0 <= int(value) <= 120:
                self.add_error("value", _("Enter an age in whole years between 0 and 120."))
                return data
            data["rule"] = {"rule": "age_between", ("min" if op == "at_least" else "max"): int(value)}
            return data
        if value not in {c for c, _l in value_choices(kind)}:
            self.add_error("value", _("Choose a value from the list."))
            return data
        if kind == "level":
            track, level = value.rsplit(":", 1)
            data["rule"] = {"rule": "completed_level", "track": track, "level": int(level)}
        else:
            data["rule"] = {"rule": field, "value": value}
        return data

    # what the row template needs: the operators of the chosen field and the value's widget
    def ui(self) -> dict:
        field = self._current("field")
        # no operators before a field is chosen: they belong to the field, and the row is drawn
        # again with them when the field changes
        ops = RULE_FIELDS[field][1] if field in RULE_FIELDS else ()
        op = self._current("operator")
        if op not in ops:
            op = ops[0] if field in RULE_FIELDS else ""
        kind = VALUE_KIND.get((field, op)) if field else "text"
        if field in RULE_FIELDS and len(ops) > 1:
            kind = VALUE_KIND.get((field, op)) or VALUE_KIND.get((field, ops[0]))
        return {
            "field": field,
            "operators": [(o, RULE_OPERATORS[o]) for o in ops],
            "operator": op,
            "kind": kind,
            "choices": value_choices(kind),
            "value": self._current("value") or "",
        }

    def _current(self, name):
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name), "") or "")
        return str(self.initial.get(name, "") or "")


class BaseRuleFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            rule = form.cleaned_data.get("rule")
            if not rule:
                continue
            key = (form.cleaned_data["field"], form.cleaned_data["operator"])
            if key in seen and key != ("works_in_region", "in"):
                form.add_error("field", _("This rule appears twice."))
                raise forms.ValidationError(_("A rule appears twice."))
            seen.add(key)
        rules = self.rules()
        for rule in rules:
            if rule.get("rule") == "age_between" and rule.get("min", 0) > rule.get("max", 200):
                raise forms.ValidationError(_("Age: the minimum is above the maximum."))

    def rules(self) -> list[dict]:
        """The rows as the program's declarative rules (the two age bounds become one age rule)."""
        out, age = [], None
        for form in self.forms:
            rule = (form.cleaned_data or {}).get("rule")
            if not rule:
                continue
            if rule["rule"] == "age_between":
                if age is None:
                    age = dict(rule)
                    out.append(age)
                else:
                    age.update({k: v for k, v in rule.items() if k != "rule"})
            else:
                out.append(rule)
        return out


RuleFormSet = forms.formset_factory(
    RuleRowForm,
    formset=BaseRuleFormSet,
    extra=0,
    max_num=MAX_RULES,
    validate_max=True,
    absolute_max=MAX_RULES,
)


def rules_to_rows(rules) -> list[dict]:
    """A program's stored rules as builder rows (initial data of the formset)."""
    rows = []
    for rule in rules or []:
        kind = rule.get("rule")
        if kind == "kpj_wage_ceiling":
            rows.append({"field": "wage", "operator": "within_ceiling"})
        elif kind in ("union_member", "vulnerable"):
            rows.append({"field": kind, "operator": RULE_FIELDS[kind][1][0]})
        elif kind == "ktp_province":
            rows.append({"field": kind, "operator": "is", "value": str(rule.get("value", ""))})
        elif kind == "works_in_region":
            rows.append({"field": kind, "operator": "in", "value": str(rule.get("value", ""))})
        elif kind == "employment":
            rows.append({"field": kind, "operator": "is", "value": str(rule.get("value", ""))})
        elif kind == "age_between":
            if rule.get("min") is not None:
                rows.append({"field": "age", "operator": "at_least", "value": str(rule["min"])})
            if rule.get("max") is not None:
                rows.append({"field": "age", "operator": "at_most", "value": str(rule["max"])})
        elif kind == "completed_level":
            value = f"{rule.get('track', 'jakpreneur')}:{rule.get('level')}"
            rows.append({"field": kind, "operator": "level", "value": value})
    return rows


class RuleRowRequestForm(forms.Form):
    """The htmx request that redraws one row after its field changed."""

    index = forms.IntegerField(min_value=0, max_value=MAX_RULES - 1)


class RuleFieldForm(forms.Form):
    """The field chosen in one builder row (`rules-N-field`); drawn with that prefix."""

    field = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "")] + [(k, v[0]) for k, v in RULE_FIELDS.items()]


class ProgramPartForm(forms.Form):
    """`?part=` of a program page: a piece loaded by htmx after the page."""

    part = forms.ChoiceField(choices=[("eligible", "eligible")])


class ProgramCheckForm(forms.Form):
    """`?nik=` on a program page: check one person against the rules."""

    nik = NikField()


# ---------------------------------------------------------------- applications and cards


class NominateForm(forms.Form):
    people = IdListField(label=_("People"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    program = forms.IntegerField(label=_("Program"), min_value=1, required=False)

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all"))] + list(Application.Status.choices)


class CardFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    program = forms.IntegerField(label=_("Program"), min_value=1, required=False)
    q = forms.CharField(label=_("Search"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all"))] + list(Card.Status.choices)


class ScopedProgramField(forms.ModelChoiceField):
    """A program id, looked up only among the programs the officer may see."""

    default_error_messages = {
        "invalid_choice": _("Program not found, or outside your scope."),
    }


class ApplicationBulkForm(forms.Form):
    program = ScopedProgramField(label=_("Program"), queryset=None)
    action = forms.ChoiceField(
        label=_("Action"), choices=[("approve", _("approve")), ("issue", _("issue cards"))], required=False
    )
    ids = IdListField(label=_("Applications"))

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs

    def clean_ids(self):
        ids = self.cleaned_data["ids"]
        if not ids:
            raise forms.ValidationError(_("Tick at least one application."))
        return ids


class ApplicationActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("upload", _("upload")),
            ("verify", _("verify")),
            ("approve", _("approve")),
            ("reject", _("reject")),
        ],
    )
    kind = forms.ChoiceField(label=_("Document"), required=False)
    file = forms.FileField(label=_("File"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—")] + list(ApplicationDocument.Kind.choices)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "upload":
            if not data.get("kind"):
                self.add_error("kind", _("Choose the document."))
            if not data.get("file"):
                self.add_error("file", _("Choose a file to upload."))
        if action == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the rejection."))
        return data


class CardPrintForm(forms.Form):
    ids = IdListField(label=_("Cards"))
    program = ScopedProgramField(label=_("Program"), queryset=None, required=False)
    not_handed_over = forms.BooleanField(label=_("Only cards not handed over yet"), required=False)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs

    def clean(self):
        data = super().clean()
        if not data.get("ids") and not data.get("program") and not self.errors:
            self.add_error("program", _("Choose the cards, or the program whose cards to print."))
        return data


class CardHandOverForm(forms.Form):
    ids = IdListField(label=_("Cards"))
    on = forms.DateField(label=_("Date"), error_messages={"invalid": _("Enter a valid date.")})
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    event = forms.CharField(label=pgettext_lazy("handover ceremony", "Event"), max_length=200, required=False)
    handed_over_by = forms.CharField(label=_("Handed over by"), max_length=200, required=False)

    def clean_ids(self):
        ids = self.cleaned_data["ids"]
        if not ids:
            raise forms.ValidationError(_("Choose at least one card."))
        return ids


class CardActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[("revoke", _("revoke")), ("replace", _("replace"))]
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class VerifyTokenForm(forms.Form):
    token = forms.CharField(label=_("Code on the card"), max_length=200, required=False, strip=True)


class DistributionActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("handover", _("hand over")), ("allocate", _("allocate")), ("return", _("return"))],
    )


# ---------------------------------------------------------------- training


class CohortActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("enrol", _("enrol")), ("attend", _("present")), ("complete", _("complete"))],
    )


class EnrolForm(forms.Form):
    nik = NikField(required=True)


class AttendanceForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[("attend", _("present")), ("complete", _("complete"))]
    )
    enrolment = forms.IntegerField(label=_("Enrolment"), min_value=1)
    session = forms.IntegerField(label=_("Session"), min_value=1, max_value=1000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "attend" and not data.get("session") and "session" not in self.errors:
            self.add_error("session", _("Choose the session."))
        return data


class CourseForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=None)
    track = forms.CharField(label=_("Track"), max_length=60, initial="jakpreneur")
    level = forms.IntegerField(
        label=_("Level"),
        min_value=1,
        max_value=20,
        help_text=_("Level 2 and above accept only graduates of the level before, in the same track."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["program"].label_from_instance = lambda p: f"{p.name} ({p.year})"

    def clean_track(self):
        return self.cleaned_data["track"].strip().lower()


class CohortForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    region = forms.ChoiceField(label=_("Region"))
    start_date = forms.DateField(
        label=_("Start"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("End"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    sessions = forms.IntegerField(
        label=pgettext_lazy("count", "Sessions"), min_value=1, max_value=365, initial=1
    )
    min_attendance = forms.IntegerField(
        label=_("Sessions required to complete"), min_value=1, max_value=365, initial=1
    )

    def __init__(self, *args, user, courses, cohort=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["course"].label_from_instance = lambda c: (
            _("%(name)s (level %(level)s)")
            % {
                "name": c.name,
                "level": c.level,
            }
        )
        choices = region_choices(user=user, levels=("province", "regency", "district"))
        if cohort is not None and cohort.region_id not in {c for c, _l in choices}:
            choices.append((cohort.region_id, str(cohort.region)))
        self.fields["region"].choices = choices

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The cohort ends before it starts."))
        n, m = data.get("sessions"), data.get("min_attendance")
        if n and m and m > n:
            self.add_error("min_attendance", _("At most the number of sessions (%(n)s).") % {"n": n})
        return data


# ---------------------------------------------------------------- cooperative


class CooperativeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=20,
        help_text=_("Starts every member number, e.g. KMMB-000001."),
    )
    organisation = forms.ModelChoiceField(label=_("Cooperative organisation"), queryset=None)
    union_body = forms.ModelChoiceField(label=_("Union"), queryset=None)
    region = forms.ChoiceField(label=_("Region"))
    launched_on = forms.DateField(
        label=_("Launched"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    pokok_amount = RupiahInputField(label=_("Simpanan pokok (bylaws), Rp"))
    wajib_amount = RupiahInputField(label=_("Simpanan wajib per month (bylaws), Rp"))

    def __init__(self, *args, user, organisations, bodies, coop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["union_body"].queryset = bodies
        choices = region_choices(user=user)
        if coop is not None and coop.region_id not in {c for c, _l in choices}:
            choices.append((coop.region_id, str(coop.region)))
        self.fields["region"].choices = choices

    def clean_short_name(self):
        value = self.cleaned_data["short_name"].strip().upper()
        if not value.replace("-", "").isalnum():
            raise forms.ValidationError(_("Letters and digits only, e.g. KMMB."))
        return value


class MemberJoinForm(forms.Form):
    nik = NikField(required=True)
    joined_on = forms.DateField(label=_("Joined"), error_messages={"invalid": _("Enter a valid date.")})


class SavingsForm(forms.Form):
    member = forms.IntegerField(label=_("Member"), min_value=1)
    kind = forms.ChoiceField(label=_("Kind"))
    amount = RupiahInputField(label=_("Amount (negative to withdraw)"), allow_negative=True)
    entry_date = forms.DateField(label=_("Date"), error_messages={"invalid": _("Enter a valid date.")})
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = SavingsEntry.Kind.choices


class CoopActionForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=[("join", _("join")), ("save", _("save"))])
