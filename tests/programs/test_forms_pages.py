"""Issue #15 in the programs app: pages to create and edit programs (with the rule builder and its live
count), courses, cohorts and cooperatives; every view parameter parsed by a form (bad values give a
message, never a 500); the cooperative's own home page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.core.models import AuditEntry
from sinergi.programs import eligibility, forms, selectors, services
from sinergi.programs.models import (
    Application,
    Card,
    Cohort,
    Cooperative,
    CoopMember,
    Course,
    Distribution,
    Enrolment,
    Program,
)
from tests.factories import OrganisationFactory, UnionBodyFactory
from tests.programs.factories import kpj_program, rule_rows, worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("agency_officer", region="31")


def training_program(owner, code="JAKP2025"):
    return Program.objects.create(
        code=code,
        name="Jakpreneur 2025",
        kind=Program.Kind.TRAINING,
        owner=owner,
        region_id="31",
        legal_basis="Program Jakpreneur",
        year=2025,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
        rules=[{"rule": "ktp_province", "value": "31"}],
    )


@pytest.fixture
def coop_org():
    return OrganisationFactory(kind="cooperative", region_id="31", name="Koperasi Uji Bersama")


# ---------------------------------------------------------------- the rule builder


def test_rows_become_the_same_declarative_rules_and_back():
    rows = [
        ("ktp_province", "is", "31"),
        ("works_in_region", "in", "3172"),
        ("wage", "within_ceiling", ""),
        ("employment", "is", "formal"),
        ("age", "at_least", "18"),
        ("age", "at_most", "55"),
        ("union_member", "active", ""),
        ("vulnerable", "registered", ""),
        ("", "", ""),  # an empty row is dropped
    ]
    fs = forms.RuleFormSet(rule_rows(rows), prefix="rules")
    assert fs.is_valid(), fs.errors
    rules = fs.rules()
    assert rules == [
        {"rule": "ktp_province", "value": "31"},
        {"rule": "works_in_region", "value": "3172"},
        {"rule": "kpj_wage_ceiling"},
        {"rule": "employment", "value": "formal"},
        {"rule": "age_between", "min": 18, "max": 55},
        {"rule": "union_member"},
        {"rule": "vulnerable"},
    ]
    eligibility.validate_rules(rules)
    back = [(r["field"], r["operator"], r.get("value", "")) for r in forms.rules_to_rows(rules)]
    assert back == [r for r in rows if r[0]]


@pytest.mark.parametrize(
    "row, field",
    [
        (("ktp_province", "is", "99"), "value"),  # no such province
        (("ktp_province", "at_least", "31"), "operator"),  # an operator the field does not take
        (("works_in_region", "in", "31; DROP"), "value"),
        (("employment", "is", "astronaut"), "value"),
        (("age", "at_least", "abc"), "value"),
        (("age", "at_most", "200"), "value"),
        (("age", "at_least", ""), "value"),
        (("completed_level", "level", "jakpreneur:9"), "value"),  # no such course level
        (("nonsense", "is", "1"), "field"),
    ],
)
def test_a_bad_row_is_a_message_on_its_field(row, field):
    fs = forms.RuleFormSet(rule_rows([row]), prefix="rules")
    assert not fs.is_valid()
    assert field in fs.forms[0].errors


def test_a_rule_twice_or_ages_upside_down_are_refused():
    fs = forms.RuleFormSet(
        rule_rows([("vulnerable", "registered", ""), ("vulnerable", "registered", "")]), prefix="rules"
    )
    assert not fs.is_valid() and fs.non_form_errors()
    fs = forms.RuleFormSet(rule_rows([("age", "at_least", "60"), ("age", "at_most", "20")]), prefix="rules")
    assert not fs.is_valid() and fs.non_form_errors()


def test_a_tampered_formset_is_refused_not_a_crash():
    assert not forms.RuleFormSet({"rules-TOTAL_FORMS": "x"}, prefix="rules").is_valid()
    many = rule_rows([("vulnerable", "registered", "")] * 40)
    assert not forms.RuleFormSet(many, prefix="rules").is_valid()


@pytest.mark.parametrize(
    "rules",
    [
        [{"rule": "ktp_province", "value": "3"}],
        [{"rule": "ktp_province"}],
        [{"rule": "employment", "value": "pilot"}],
        [{"rule": "age_between"}],
        [{"rule": "age_between", "min": "18"}],
        [{"rule": "age_between", "min": 50, "max": 20}],
        [{"rule": "completed_level", "level": 0}],
        [{"rule": "union_member", "value": "x"}],
    ],
)
def test_rules_typed_as_json_are_checked_as_strictly(rules):
    with pytest.raises(SinergiError):
        eligibility.validate_rules(rules)


def test_the_live_count_is_the_eligibility_query_over_the_officers_scope(client, officer):
    client.force_login(officer)
    in_ceiling = [worker(wage=Decimal(5_000_000)) for _ in range(3)]
    worker(wage=Decimal(9_000_000))  # above the 2025 ceiling
    data = {
        "region": "31",
        "year": "2025",
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
        **rule_rows([("ktp_province", "is", "31"), ("wage", "within_ceiling", "")]),
    }
    r = client.post(reverse("programs:rule_count"), data)
    assert r.status_code == 200
    program = Program(
        region_id="31", year=2025, start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 12, 31)
    )
    program.rules = [{"rule": "ktp_province", "value": "31"}, {"rule": "kpj_wage_ceiling"}]
    expected = selectors.eligible_count(user=officer, program=program)["eligible"]
    assert expected == len(in_ceiling)
    assert f'data-testid="rule-count-value">{expected}<' in r.content.decode()
    assert "Rp6.206.275" in r.content.decode()  # 1.15 × UMP 2025
    # a bad row: a message, not a count and not a 500
    r = client.post(reverse("programs:rule_count"), {**data, **rule_rows([("age", "at_least", "old")])})
    assert r.status_code == 200 and "rule-count-problem" in r.content.decode()
    # a year without a UMP decree: the rule's own error, in words
    r = client.post(reverse("programs:rule_count"), {**data, "year": "2031"})
    assert r.status_code == 200 and "rule-count-problem" in r.content.decode()
    # garbage everywhere still answers
    r = client.post(reverse("programs:rule_count"), {"rules-TOTAL_FORMS": "zz", "year": "abc"})
    assert r.status_code == 200


def test_a_row_is_redrawn_with_the_operators_of_its_field(client, officer):
    client.force_login(officer)
    r = client.get(reverse("programs:rule_row"), {"index": "2", "rules-2-field": "age"})
    html = r.content.decode()
    assert r.status_code == 200 and 'name="rules-2-operator"' in html
    assert 'value="at_least"' in html and 'value="at_most"' in html and 'value="is"' not in html
    # a row without a field offers no operator to choose yet (choosing one before the row is drawn
    # again for its field would be wiped by the redraw)
    empty = client.get(reverse("programs:rule_row"), {"index": "2"}).content.decode()
    assert (
        'name="rules-2-operator"' in empty and 'value="at_least"' not in empty and 'value="is"' not in empty
    )
    assert client.get(reverse("programs:rule_row"), {"index": "abc"}).status_code == 400
    assert client.get(reverse("programs:rule_row"), {"index": "99"}).status_code == 400


def test_the_program_list_lists_programs_and_offers_a_new_one_to_officers_only(client, officer, make_user):
    program = kpj_program(year=2025, owner=officer.organisation)
    client.force_login(officer)
    html = client.get(reverse("programs:program_list")).content.decode()
    assert program.name in html and 'data-testid="new-program"' in html
    client.force_login(make_user("union_official"))
    html = client.get(reverse("programs:program_list")).content.decode()
    assert program.name in html and 'data-testid="new-program"' not in html


def test_editing_a_program_changes_its_rules_audited_and_keeps_its_code(client, officer, make_user):
    program = kpj_program(year=2025, owner=officer.organisation)
    client.force_login(officer)
    r = client.get(reverse("programs:program_edit", args=[program.pk]))
    assert r.status_code == 200 and 'value="within_ceiling" selected' in r.content.decode()
    data = {
        "code": "HACKED",
        "name": "KPJ 2025 (revisi)",
        "legal_basis": program.legal_basis,
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
        **rule_rows([("ktp_province", "is", "31"), ("age", "at_most", "55")]),
    }
    r = client.post(reverse("programs:program_edit", args=[program.pk]), data)
    assert r.status_code == 302
    program.refresh_from_db()
    assert program.code == "KPJ2025" and program.name == "KPJ 2025 (revisi)"
    assert program.rules == [{"rule": "ktp_province", "value": "31"}, {"rule": "age_between", "max": 55}]
    assert AuditEntry.objects.filter(action="update", object_id=str(program.pk)).exists()
    page = client.get(reverse("programs:program_detail", args=[program.pk])).content.decode()
    rules_shown = page.split('data-testid="program-rules"', 1)[1].split("</ul>", 1)[0]
    assert "DKI Jakarta" in rules_shown and "55" in rules_shown
    r = client.post(reverse("programs:program_edit", args=[program.pk]), {**data, "end_date": "2024-01-01"})
    assert r.status_code == 400 and "end_date" in r.context["form"].errors
    # another region's officer cannot reach it; a union official cannot edit at all
    client.force_login(make_user("agency_officer", region="3509"))
    assert client.get(reverse("programs:program_edit", args=[program.pk])).status_code == 404
    client.force_login(make_user("union_official"))
    assert client.get(reverse("programs:program_edit", args=[program.pk])).status_code == 403


def test_program_update_refuses_a_read_only_role_and_unknown_fields(officer, make_user):
    program = kpj_program(year=2025, owner=officer.organisation)
    with pytest.raises(SinergiError):
        services.program_update(actor=officer, program=program, code="X")
    with pytest.raises(PermissionDenied):
        services.program_update(actor=make_user("leadership_viewer"), program=program, name="X")
    with pytest.raises(SinergiError):
        services.program_update(actor=officer, program=program, rules=[{"rule": "age_between"}])


# ---------------------------------------------------------------- courses and cohorts


def test_courses_and_cohorts_are_created_and_edited_through_services(officer, make_user):
    program = training_program(officer.organisation)
    basics = services.course_create(actor=officer, program=program, track="Jakpreneur", level=1, name="Dasar")
    assert basics.track == "jakpreneur"
    with pytest.raises(Conflict):
        services.course_create(actor=officer, program=program, track="jakpreneur", level=1, name="Lagi")
    with pytest.raises(SinergiError):
        services.course_create(actor=officer, program=kpj_program(year=2025), track="x", level=1, name="Y")
    cohort = services.cohort_create(
        actor=officer,
        course=basics,
        name="Angkatan I",
        region_id="3172",
        start_date=dt.date(2025, 7, 1),
        end_date=dt.date(2025, 7, 5),
        place="PPKD Jakarta Utara",
        sessions=5,
        min_attendance=4,
    )
    assert AuditEntry.objects.filter(action="create", object_id=str(cohort.pk)).exists()
    for bad in (
        {"end_date": dt.date(2025, 6, 1)},
        {"min_attendance": 6},
        {"region_id": "99"},
    ):
        with pytest.raises(SinergiError):
            services.cohort_create(
                actor=officer,
                course=basics,
                name="X",
                **{
                    "region_id": "3172",
                    "start_date": dt.date(2025, 7, 1),
                    "end_date": dt.date(2025, 7, 5),
                    "sessions": 5,
                    "min_attendance": 4,
                    **bad,
                },
            )
    with pytest.raises(NotAllowed):  # outside the officer's region
        services.cohort_create(
            actor=make_user("agency_officer", region="3172"),
            course=basics,
            name="X",
            region_id="3509",
            start_date=dt.date(2025, 7, 1),
            end_date=dt.date(2025, 7, 5),
        )
    # attendance recorded in session 5: the cohort keeps at least 5 sessions
    person = worker(wage=Decimal(5_000_000))
    enr = Enrolment.objects.create(cohort=cohort, person=person)
    services.attendance_record(actor=officer, enrolment=enr, session=5)
    with pytest.raises(Conflict):
        services.cohort_update(actor=officer, cohort=cohort, sessions=3, min_attendance=3)
    services.cohort_update(actor=officer, cohort=cohort, name="Angkatan I (revisi)", sessions=6)
    cohort.refresh_from_db()
    assert (cohort.name, cohort.sessions) == ("Angkatan I (revisi)", 6)
    # a graduate fixes the course's level
    enr.status = Enrolment.Status.COMPLETED
    enr.save()
    with pytest.raises(Conflict):
        services.course_update(
            actor=officer, course=basics, program=program, track="jakpreneur", level=3, name="Dasar"
        )
    services.course_update(
        actor=officer, course=basics, program=program, track="jakpreneur", level=1, name="Dasar 2"
    )


def test_an_officer_creates_a_course_and_a_cohort_in_the_pages(client, officer):
    program = training_program(officer.organisation)
    client.force_login(officer)
    r = client.post(
        reverse("programs:course_create"),
        {"program": program.pk, "track": "jakpreneur", "level": "1", "name": "Dasar kewirausahaan"},
    )
    assert r.status_code == 302
    course = Course.objects.get()
    r = client.post(
        reverse("programs:cohort_create"),
        {
            "course": course.pk,
            "name": "Angkatan Uji",
            "region": "3172",
            "start_date": "2025-07-01",
            "end_date": "2025-07-03",
            "place": "PPKD",
            "sessions": "3",
            "min_attendance": "2",
        },
    )
    cohort = Cohort.objects.get()
    assert r.url == reverse("programs:cohort_detail", args=[cohort.pk])
    r = client.get(reverse("programs:cohort_list"))
    body = r.content.decode().split("<main", 1)[1]  # not just the <title>
    assert "Angkatan Uji" in body and "Dasar kewirausahaan" in body.split('data-testid="course-list"', 1)[1]
    r = client.post(
        reverse("programs:cohort_edit", args=[cohort.pk]), {"course": course.pk, "name": "", "sessions": "x"}
    )
    assert r.status_code == 400 and {"name", "sessions", "region"} <= set(r.context["form"].errors)


# ---------------------------------------------------------------- cooperatives


def test_a_cooperative_is_registered_and_its_short_name_stays_once_members_have_numbers(
    client, officer, coop_org
):
    body = UnionBodyFactory(region_id="31")
    client.force_login(officer)
    data = {
        "name": "Koperasi Uji Bersama",
        "short_name": "kub",
        "organisation": coop_org.pk,
        "union_body": body.pk,
        "region": "31",
        "launched_on": "2025-01-10",
        "pokok_amount": "100.000",  # officers write thousands with dots
        "wajib_amount": "Rp 25.000",
    }
    r = client.post(reverse("programs:coop_create"), {**data, "pokok_amount": "100.00"})
    assert r.status_code == 400 and "pokok_amount" in r.context["form"].errors
    r = client.post(reverse("programs:coop_create"), data)
    coop = Cooperative.objects.get()
    assert r.url == reverse("programs:coop_detail", args=[coop.pk])
    assert (coop.short_name, coop.pokok_amount, coop.wajib_amount) == (
        "KUB",
        Decimal(100_000),
        Decimal(25_000),
    )
    r = client.post(reverse("programs:coop_create"), {**data, "name": "Lain"})  # the org already runs one
    assert r.status_code == 400 and "organisation" in r.context["form"].errors
    agency = OrganisationFactory(kind="agency", region_id="31")
    with pytest.raises(SinergiError):
        services.cooperative_create(
            actor=officer,
            name="Bukan koperasi",
            short_name="BK",
            organisation=agency,
            union_body=body,
            region_id="31",
            launched_on=dt.date(2025, 1, 1),
            pokok_amount=1,
            wajib_amount=1,
        )
    CoopMember.objects.create(
        cooperative=coop,
        person=worker(wage=Decimal(1)),
        union_body=body,
        member_number="KUB-000001",
        joined_on=dt.date(2025, 2, 1),
    )
    with pytest.raises(Conflict):
        services.cooperative_update(actor=officer, cooperative=coop, short_name="ZZ")
    services.cooperative_update(actor=officer, cooperative=coop, wajib_amount=30_000)
    coop.refresh_from_db()
    assert coop.wajib_amount == Decimal(30_000)
    assert AuditEntry.objects.filter(action="update", object_id=str(coop.pk)).exists()


def test_the_cooperatives_home_page_shows_its_own_figures_not_the_unions(
    client, officer, coop_org, make_user
):
    body = UnionBodyFactory(region_id="31")
    coop_org.union_body = body
    coop_org.save()
    coop = services.cooperative_create(
        actor=officer,
        name="Koperasi Uji Bersama",
        short_name="KUB",
        organisation=coop_org,
        union_body=body,
        region_id="31",
        launched_on=dt.date(2025, 1, 1),
        pokok_amount=100_000,
        wajib_amount=25_000,
    )
    members = [worker(wage=Decimal(5_000_000), body=body) for _ in range(4)]  # 4 union members
    for p in members[:2]:  # 2 of them join the cooperative
        services.coop_member_add(actor=officer, cooperative=coop, person=p, joined_on=dt.date(2025, 6, 2))
    m = CoopMember.objects.first()
    services.savings_record(
        actor=officer, member=m, kind="pokok", amount=100_000, entry_date=dt.date(2025, 6, 2)
    )
    services.savings_record(
        actor=officer, member=m, kind="wajib", amount=25_000, entry_date=dt.date(2025, 6, 3)
    )
    user = make_user("union_official", org=coop_org)
    client.force_login(user)
    r = client.get(reverse("core:home"))
    first = min(r.context["cards"], key=lambda c: c["order"])
    assert str(first["label"]) == "KUB: anggota aktif" and first["value"] == "2"  # Indonesian by default
    html = r.content.decode()
    assert "Rp125.000" in html  # the cooperative's savings
    labels = [str(c["label"]) for c in sorted(r.context["cards"], key=lambda c: c.get("order", 500))]
    assert labels[0].startswith("KUB")
    # the union's membership figures are not on the cooperative's home page
    assert not any(
        "members (incl. lower bodies)" in lbl or "anggota terverifikasi" in lbl.lower() for lbl in labels
    )
    # nor the union's caseload from other apps (coverage, claims, aspirations …): only the cooperative's
    # figures and the login's own background jobs
    assert all(str(c["url"]).startswith(("/programs/cooperatives/", "/jobs/")) for c in r.context["cards"])
    unpaid = [c for c in r.context["cards"] if "wajib" in str(c["label"])]
    assert unpaid and str(unpaid[0]["value"]) == "1"  # one active member paid no wajib in June


# ---------------------------------------------------------------- bad values, view by view


@pytest.fixture
def places(officer, make_user):
    """One of everything, so that every view with parameters can be tried."""
    program = kpj_program(year=2025, owner=officer.organisation)
    person = worker(wage=Decimal(5_000_000))
    app = Application.objects.create(program=program, person=person, nominated_by=officer)
    card = Card.objects.create(
        program=program,
        application=app,
        person=person,
        number="KPJ2025-0000001",
        issued_on=dt.date(2025, 6, 1),
        issued_by=officer,
    )
    dist = Distribution.objects.create(
        name="Sembako",
        organisation=officer.organisation,
        region_id="31",
        event_date=dt.date(2025, 6, 14),
        place="GOR",
        package="sembako",
        stock_received=10,
    )
    course = Course.objects.create(program=training_program(officer.organisation), level=1, name="Dasar")
    cohort = Cohort.objects.create(
        course=course,
        name="A",
        region_id="31",
        start_date=dt.date(2025, 6, 1),
        end_date=dt.date(2025, 6, 2),
        sessions=2,
    )
    org = OrganisationFactory(kind="cooperative", region_id="31")
    coop = Cooperative.objects.create(
        name="K",
        short_name="K",
        organisation=org,
        union_body=UnionBodyFactory(region_id="31"),
        region_id="31",
        launched_on=dt.date(2025, 1, 1),
        pokok_amount=1,
        wajib_amount=1,
    )
    return {"program": program, "app": app, "card": card, "dist": dist, "cohort": cohort, "coop": coop}


BAD_REQUESTS = [
    ("get", "programs:program_list", None, {"page": "abc"}),
    ("get", "programs:program_detail", "program", {"nik": "abc"}),
    ("get", "programs:program_detail", "program", {"nik": "3172" * 5}),
    ("get", "programs:nominate", "program", {"page": "-1"}),
    ("post", "programs:nominate", "program", {"people": ["abc", "1 OR 1"], "title": "x" * 500}),
    ("get", "programs:application_list", None, {"status": "bribed", "program": "abc", "page": "9999"}),
    ("post", "programs:application_bulk", None, {"program": "abc", "ids": ["x"]}),
    ("post", "programs:application_detail", "app", {"action": "explode"}),
    ("post", "programs:application_detail", "app", {"action": "upload", "kind": "passport"}),
    ("post", "programs:application_detail", "app", {"action": "reject", "reason": ""}),
    ("get", "programs:card_list", None, {"status": "lost", "program": "1e9", "q": "x" * 500}),
    ("post", "programs:card_print", None, {"ids": ["abc"]}),
    ("post", "programs:card_print", None, {"program": "abc"}),
    ("post", "programs:card_hand_over", None, {"ids": ["1"], "on": "kemarin"}),
    ("post", "programs:card_detail", "card", {"action": "burn", "reason": ""}),
    ("get", "programs:verify_form", None, {"token": "x" * 500}),
    ("post", "programs:distribution_detail", "dist", {"action": "steal"}),
    ("post", "programs:distribution_detail", "dist", {"action": "return", "count": "5 paket"}),
    ("post", "programs:distribution_detail", "dist", {"action": "allocate", "bodies": ["abc"]}),
    ("post", "programs:cohort_detail", "cohort", {"action": "attend", "enrolment": "abc", "session": "x"}),
    ("post", "programs:cohort_detail", "cohort", {"action": "enrol", "nik": "12"}),
    (
        "post",
        "programs:coop_detail",
        "coop",
        {"action": "save", "member": "abc", "amount": "5 ribu", "entry_date": "31-02-2025"},
    ),
    ("post", "programs:coop_detail", "coop", {"action": "join", "nik": "abc", "joined_on": "x"}),
    ("post", "programs:coop_detail", "coop", {"action": "launder"}),
    (
        "post",
        "programs:program_create",
        None,
        {"year": "abc", "start_date": "2025-13-45", "rules-TOTAL_FORMS": "-1"},
    ),
    ("post", "programs:cohort_create", None, {"sessions": "abc", "course": "99999"}),
    ("post", "programs:course_create", None, {"level": "abc", "program": "abc"}),
    ("post", "programs:coop_create", None, {"pokok_amount": "abc", "launched_on": "x", "union_body": "abc"}),
    (
        "post",
        "programs:rule_count",
        None,
        {
            "rules-TOTAL_FORMS": "1",
            "rules-0-field": "age",
            "rules-0-operator": "at_least",
            "rules-0-value": "tua",
        },
    ),
]


@pytest.mark.parametrize("method, name, obj, data", BAD_REQUESTS)
def test_a_bad_value_gets_a_message_never_a_server_error(client, officer, places, method, name, obj, data):
    client.force_login(officer)
    url = reverse(name, args=[places[obj].pk]) if obj else reverse(name)
    r = getattr(client, method)(url, data, follow=True)
    assert r.status_code < 500
    html = r.content.decode()
    assert "errorlist" in html or "msg-error" in html or "rule-count-problem" in html or method == "get", (
        html[:2000]
    )


def test_bad_filters_are_named_on_the_list_page(client, officer, places):
    client.force_login(officer)
    r = client.get(reverse("programs:application_list"), {"status": "bribed", "program": "abc"})
    assert r.status_code == 200 and 'data-testid="filter-errors"' in r.content.decode()
    r = client.get(reverse("programs:program_detail", args=[places["program"].pk]), {"nik": "abc"})
    assert 'data-testid="nik-errors"' in r.content.decode()


def test_savings_typed_with_thousand_dots_are_whole_rupiah(client, officer, places):
    f = forms.SavingsForm(
        {"member": "1", "kind": "sukarela", "amount": "1.250.000", "entry_date": "2025-06-01"}
    )
    assert f.is_valid() and f.cleaned_data["amount"] == 1_250_000
    for bad in ("1.5", "100.00", "1,5", "5 ribu", "--5"):
        f = forms.SavingsForm({"member": "1", "kind": "sukarela", "amount": bad, "entry_date": "2025-06-01"})
        assert not f.is_valid() and "amount" in f.errors
    f = forms.SavingsForm(
        {"member": "1", "kind": "sukarela", "amount": "-50.000", "entry_date": "2025-06-01"}
    )
    assert f.is_valid() and f.cleaned_data["amount"] == -50_000
