"""Programs services with the database: nomination, verification, maker-checker, cards, aid, training,
cooperative."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from sinergi.core.errors import Conflict, NotAllowed, NotFound, SinergiError
from sinergi.core.models import AuditEntry
from sinergi.programs import selectors, services
from sinergi.programs.models import Application, Card, Distribution, Handover, Program
from tests.factories import PersonFactory, UnionBodyFactory
from tests.programs.factories import kpj_program, worker

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 test document"
DOCS = ["ktp", "kk", "npwp", "payslip", "employment_letter"]


@pytest.fixture
def world(make_user):
    body = UnionBodyFactory(region_id="31")
    official = make_user("union_official", union_body=body)
    officer1 = make_user("agency_officer")
    officer2 = make_user("agency_officer", org=officer1.organisation)
    program = kpj_program(year=2025, owner=officer1.organisation)
    return {"body": body, "official": official, "o1": officer1, "o2": officer2, "program": program}


def _upload_all(app, actor):
    for kind in DOCS:
        services.document_upload(
            actor=actor,
            application=app,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", PDF, "application/pdf"),
        )


def test_a_union_official_nominates_only_eligible_members_of_their_union(world):
    member_ok = worker(wage=Decimal(6206275), body=world["body"])
    member_rich = worker(wage=Decimal(6206276), body=world["body"])
    stranger = worker(wage=Decimal(4_000_000))
    result = services.nominate(
        actor=world["official"],
        program=world["program"],
        person_ids=[member_ok.pk, member_rich.pk, stranger.pk],
    )
    assert result["created"] == 1
    refused = dict(result["refused"])
    assert set(refused) == {member_rich.pk, stranger.pk}
    app = Application.objects.get(person=member_ok)
    assert app.union_body == world["body"]
    assert app.declared_wage == Decimal(6206275) and app.wage_ceiling == Decimal(6206275)
    with translation.override("en"):
        again = services.nominate(
            actor=world["official"], program=world["program"], person_ids=[member_ok.pk]
        )
    assert again["created"] == 0 and "open application" in again["refused"][0][1]


def test_verification_needs_all_documents_then_a_second_officer_approves(world):
    person = worker(wage=Decimal(5_000_000), body=world["body"])
    services.nominate(actor=world["official"], program=world["program"], person_ids=[person.pk])
    app = Application.objects.get(person=person)
    with pytest.raises(Conflict) as err:
        services.application_verify(actor=world["o1"], application=app)
    assert err.value.code == "documents_missing"
    _upload_all(app, world["official"])
    app = services.application_verify(actor=world["o1"], application=app)
    assert app.status == "verified" and all(c["passed"] for c in app.eligibility)
    with pytest.raises(NotAllowed) as err:
        services.application_approve(actor=world["o1"], application=app)
    assert err.value.code == "maker_checker"
    app = services.application_approve(actor=world["o2"], application=app)
    assert app.status == "approved"
    assert [e.to_status for e in app.events.all()] == ["nominated", "verified", "approved"]
    assert AuditEntry.objects.filter(object_type="programs.application", action="transition").count() == 2


def test_a_union_official_cannot_verify_or_approve(world):
    person = worker(wage=Decimal(5_000_000), body=world["body"])
    services.nominate(actor=world["official"], program=world["program"], person_ids=[person.pk])
    app = Application.objects.get(person=person)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.application_verify(actor=world["official"], application=app)


def test_documents_are_checked_for_type_size_and_content(world):
    person = worker(wage=Decimal(5_000_000), body=world["body"])
    services.nominate(actor=world["official"], program=world["program"], person_ids=[person.pk])
    app = Application.objects.get(person=person)
    with pytest.raises(SinergiError) as err:
        services.document_upload(
            actor=world["official"],
            application=app,
            kind="ktp",
            upload=SimpleUploadedFile("x.exe", b"MZ...", "application/x-msdownload"),
        )
    assert err.value.code == "file_type"
    with pytest.raises(SinergiError) as err:
        services.document_upload(
            actor=world["official"],
            application=app,
            kind="ktp",
            upload=SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf"),
        )
    assert err.value.code == "file_content"
    big = SimpleUploadedFile("x.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf")
    with pytest.raises(SinergiError) as err:
        services.document_upload(actor=world["official"], application=app, kind="ktp", upload=big)
    assert err.value.code == "file_size"
    assert not app.documents.exists()


def test_the_bpjs_wage_blocks_verification_when_above_the_ceiling(world, monkeypatch):
    person = worker(wage=Decimal(5_000_000), body=world["body"])
    services.nominate(actor=world["official"], program=world["program"], person_ids=[person.pk])
    app = Application.objects.get(person=person)
    _upload_all(app, world["official"])
    from sinergi.coverage import selectors as cov
    from sinergi.coverage.facts import NO_COVERAGE

    monkeypatch.setattr(
        cov,
        "coverage_facts",
        lambda **kw: NO_COVERAGE.__class__(**{**NO_COVERAGE.__dict__, "last_wage": Decimal(7_000_000)}),
    )
    with pytest.raises(Conflict) as err:
        services.application_verify(actor=world["o1"], application=app)
    assert err.value.code == "coverage_wage_above_ceiling"
    assert "Rp7.000.000" in str(err.value.message) and "Rp6.206.275" in str(err.value.message)


def _approved(world, n=1):
    people = [worker(wage=Decimal(5_000_000), body=world["body"]) for _ in range(n)]
    services.nominate(actor=world["official"], program=world["program"], person_ids=[p.pk for p in people])
    for app in Application.objects.filter(program=world["program"]):
        _upload_all(app, world["official"])
        services.application_verify(actor=world["o1"], application=app)
    result = services.applications_approve(
        actor=world["o2"], program=world["program"], ids=Application.objects.values_list("pk", flat=True)
    )
    assert result == {"approved": n, "skipped": 0}
    return people


def test_cards_are_issued_once_with_sequential_numbers_and_verify_publicly(world):
    _approved(world, 3)
    assert services.cards_issue(actor=world["o2"], program=world["program"]) == 3
    assert services.cards_issue(actor=world["o2"], program=world["program"]) == 0
    numbers = sorted(Card.objects.values_list("number", flat=True))
    assert numbers == ["KPJ2025-0000001", "KPJ2025-0000002", "KPJ2025-0000003"]
    card = Card.objects.get(number="KPJ2025-0000002")
    token = services.card_token(card.number)
    answer = services.card_verify(token)
    assert answer["status"] == "valid" and answer["number"] == card.number
    assert card.person.nik not in str(answer) and card.person.name not in str(answer)
    tampered = token.replace("KPJ2025-0000002", "KPJ2025-0000003")
    assert services.card_verify(tampered) == {"status": "unknown"}
    assert services.card_verify(token[:-2] + "xx") == {"status": "unknown"}
    assert services.card_verify("") == {"status": "unknown"}
    services.card_revoke(actor=world["o1"], card=card, reason="tidak lagi memenuhi syarat")
    assert services.card_verify(token)["status"] == "revoked"


def test_a_replaced_card_answers_revoked_and_the_new_one_valid(world):
    _approved(world, 1)
    services.cards_issue(actor=world["o2"], program=world["program"])
    old = Card.objects.get()
    new = services.card_replace(actor=world["o1"], card=old, reason="hilang")
    assert new.number == "KPJ2025-0000002" and new.replaces == old
    assert services.card_verify(services.card_token(old.number)) | {} == {
        "status": "revoked",
        "number": old.number,
        "program": world["program"].name,
        "replaced": True,
    }
    assert services.card_verify(services.card_token(new.number))["status"] == "valid"


def test_realisation_against_quarterly_targets(world):
    services.program_target_set(
        actor=world["o1"], program=world["program"], year=2025, annual=10, quarters=[1, 2, 3, 4]
    )
    with pytest.raises(SinergiError):
        services.program_target_set(
            actor=world["o1"], program=world["program"], year=2025, annual=10, quarters=[1, 2, 3, 5]
        )
    _approved(world, 3)
    services.cards_issue(actor=world["o2"], program=world["program"], issued_on=dt.date(2025, 5, 2))
    r = selectors.realisation(program=world["program"])
    assert r["annual_target"] == 10 and r["realised"] == 3 and r["percent"] == Decimal("30.0")
    assert [q["realised"] for q in r["quarters"]] == [0, 3, 0, 0]
    assert [q["target"] for q in r["quarters"]] == [1, 2, 3, 4]


def test_union_officials_see_only_their_unions_cards(world, make_user):
    _approved(world, 2)
    services.cards_issue(actor=world["o2"], program=world["program"])
    other = make_user("union_official")
    assert selectors.card_list(user=world["official"]).count() == 2
    assert selectors.card_list(user=other).count() == 0
    jember = make_user("agency_officer", region="3509")
    assert selectors.card_list(user=jember).count() == 0
    assert selectors.program_list(user=jember).count() == 0
    cilincing = make_user("ss_officer", region="3172")
    assert selectors.program_list(user=cilincing).count() == 1


# ---------------------------------------------------------------- aid


@pytest.fixture
def may_day(make_user):
    branch = make_user("ss_officer", region="3172")
    dist = services.distribution_create(
        actor=branch,
        name="May Day 2024",
        region_id="3172",
        event_date=dt.date(2025, 6, 14),
        place="GOR Rawa Badak, Koja",
        package="paket sembako",
        stock_received=580,
    )
    return branch, dist


def test_allocation_by_verified_members_sums_to_the_stock(may_day):
    from tests.factories import MembershipFactory

    branch, dist = may_day
    a, b = UnionBodyFactory(region_id="3172"), UnionBodyFactory(region_id="3172")
    for _ in range(3):
        MembershipFactory(body=a)
    MembershipFactory(body=b)
    MembershipFactory(body=b, verified=False)
    allocs = services.allocate_by_members(actor=branch, distribution=dist, body_ids=[a.pk, b.pk])
    assert [(x.weight, x.quota) for x in allocs] == [(3, 435), (1, 145)]


def test_a_second_hand_over_to_the_same_worker_is_refused_naming_the_first(may_day, make_user):
    branch, dist = may_day
    volunteer = make_user("ss_officer", org=branch.organisation)
    person = PersonFactory(district="317205")
    services.handover_record(actor=branch, distribution=dist, nik=person.nik)
    with pytest.raises(Conflict) as err:
        services.handover_record(actor=volunteer, distribution=dist, nik=person.nik, place="Pos 2")
    assert err.value.code == "already_received"
    assert "GOR Rawa Badak, Koja" in str(err.value.message) and branch.username in str(err.value.message)
    assert Handover.objects.count() == 1
    with pytest.raises(NotFound):
        services.handover_record(actor=branch, distribution=dist, nik="3172050101900009")


def test_hand_over_by_card_number_and_reconciliation(may_day, world):
    branch, dist = may_day
    _approved(world, 1)
    services.cards_issue(actor=world["o2"], program=world["program"])
    card = Card.objects.get()
    services.handover_record(actor=branch, distribution=dist, card_number=card.number)
    services.distribution_return(actor=branch, distribution=dist, count=9)
    with pytest.raises(SinergiError):
        services.distribution_return(actor=branch, distribution=dist, count=571)
    r = selectors.reconciliation(distribution=Distribution.objects.get(pk=dist.pk))
    assert (r["received"], r["handed_over"], r["returned"], r["remaining"], r["balanced"]) == (
        580,
        1,
        9,
        570,
        True,
    )


def test_stock_runs_out(make_user):
    branch = make_user("ss_officer", region="3172")
    dist = services.distribution_create(
        actor=branch,
        name="x",
        region_id="3172",
        event_date=dt.date(2025, 6, 14),
        place="Koja",
        package="p",
        stock_received=1,
    )
    services.handover_record(actor=branch, distribution=dist, nik=PersonFactory().nik)
    with pytest.raises(Conflict) as err:
        services.handover_record(actor=branch, distribution=dist, nik=PersonFactory().nik)
    assert err.value.code == "out_of_stock"


# ---------------------------------------------------------------- training and cooperative


def test_graduates_of_basics_become_eligible_for_e_order(world):
    from sinergi.programs.models import Cohort, Course

    prog = Program.objects.create(
        code="JAKPRENEUR2020",
        name="Jakpreneur",
        kind="training",
        owner=world["o1"].organisation,
        region_id="31",
        legal_basis="x",
        year=2020,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2020, 12, 31),
    )
    basics = Course.objects.create(program=prog, level=1, name="Dasar kewirausahaan")
    eorder = Course.objects.create(program=prog, level=2, name="E-order")
    c1 = Cohort.objects.create(
        course=basics,
        name="A",
        region_id="31",
        start_date=dt.date(2020, 2, 1),
        end_date=dt.date(2020, 2, 3),
        sessions=3,
        min_attendance=2,
    )
    c2 = Cohort.objects.create(
        course=eorder, name="B", region_id="31", start_date=dt.date(2020, 3, 1), end_date=dt.date(2020, 3, 3)
    )
    person = worker(wage=Decimal(4_000_000), body=world["body"])
    with pytest.raises(Conflict) as err:
        services.enrol(actor=world["official"], cohort=c2, person=person)
    assert err.value.code == "prerequisite"
    enr = services.enrol(actor=world["official"], cohort=c1, person=person)
    services.attendance_record(actor=world["o1"], enrolment=enr, session=1)
    with pytest.raises(Conflict):
        services.enrolment_complete(actor=world["o1"], enrolment=enr)
    services.attendance_record(actor=world["o1"], enrolment=enr, session=2)
    enr = services.enrolment_complete(actor=world["o1"], enrolment=enr, on=dt.date(2020, 2, 3))
    assert enr.status == "completed" and enr.certificate_number
    assert services.enrol(actor=world["official"], cohort=c2, person=person).status == "enrolled"
    # the program's realisation counts trainees who completed a course (not approved applications)
    from sinergi.programs.models import ProgramTarget
    from sinergi.programs.selectors import realisation

    ProgramTarget.objects.create(program=prog, year=2020, quarter=None, amount=200)
    real = realisation(program=prog)
    assert (real["realised"], real["annual_target"], str(real["percent"])) == (1, 200, "0.5")
    assert [q["realised"] for q in real["quarters"]] == [1, 0, 0, 0]


def test_cooperative_members_and_savings(world, make_user):
    from sinergi.programs.models import Cooperative

    coop = Cooperative.objects.create(
        name="Koperasi Uji",
        short_name="KU",
        organisation=world["official"].organisation,
        union_body=world["body"],
        region_id="31",
        launched_on=dt.date(2019, 8, 1),
        pokok_amount=Decimal(100000),
        wajib_amount=Decimal(50000),
    )
    person = worker(wage=Decimal(4_000_000), body=world["body"])
    member = services.coop_member_add(
        actor=world["official"], cooperative=coop, person=person, joined_on=dt.date(2019, 8, 1)
    )
    assert member.member_number == "KU-000001"
    with pytest.raises(Conflict):
        services.coop_member_add(
            actor=world["official"], cooperative=coop, person=PersonFactory(), joined_on=dt.date(2019, 8, 1)
        )
    day = dt.date(2019, 8, 1)
    services.savings_record(
        actor=world["official"], member=member, kind="pokok", amount=100000, entry_date=day
    )
    services.savings_record(
        actor=world["official"], member=member, kind="wajib", amount=50000, entry_date=day
    )
    services.savings_record(
        actor=world["official"], member=member, kind="sukarela", amount=75000, entry_date=day
    )
    services.savings_record(
        actor=world["official"], member=member, kind="sukarela", amount=-25000, entry_date=day
    )
    with pytest.raises(SinergiError) as err:
        services.savings_record(
            actor=world["official"], member=member, kind="sukarela", amount=-50001, entry_date=day
        )
    assert err.value.code == "savings_insufficient"
    st = selectors.statement(member=member)
    assert st["balances"] == {"pokok": 100000, "wajib": 50000, "sukarela": 50000} and st["total"] == 200000
    assert selectors.cooperative_totals(cooperative=coop)["total"] == 200000
    assert selectors.coop_member_list(user=make_user("union_official")).count() == 0
