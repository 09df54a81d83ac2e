"""Pages and API endpoints of the programs app: thin edges over scoped selectors and services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sinergi.core.jobs import job_execute
from sinergi.core.models import AuditEntry, Job
from sinergi.programs import services
from sinergi.programs.models import Application, Card, Program
from tests.factories import PersonFactory, UnionBodyFactory
from tests.programs.factories import kpj_program, rule_rows, worker

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 x"


@pytest.fixture
def world(make_user):
    body = UnionBodyFactory(region_id="31")
    official = make_user("union_official", union_body=body)
    o1 = make_user("agency_officer")
    o2 = make_user("agency_officer", org=o1.organisation)
    program = kpj_program(year=2025, owner=o1.organisation)
    services.program_target_set(
        actor=o1, program=program, year=2025, annual=23000, quarters=[6000, 4500, 5750, 6750]
    )
    return {"body": body, "official": official, "o1": o1, "o2": o2, "program": program}


def test_the_program_page_shows_the_ceiling_in_rupiah_and_the_chart(client, world):
    client.force_login(world["o1"])
    person = worker(wage=Decimal(6206276))
    r = client.get(reverse("programs:program_detail", args=[world["program"].pk]), {"nik": person.nik})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Rp6.206.275" in html and "plotly" in html.lower()
    assert "Rp6.206.276" in html  # the explanation names the wage that failed
    assert "23.000" in html


def test_nominate_verify_approve_issue_and_print_through_the_pages(client, world):
    people = [worker(wage=Decimal(5_000_000), body=world["body"]) for _ in range(3)]
    client.force_login(world["official"])
    r = client.get(reverse("programs:nominate", args=[world["program"].pk]))
    assert all(p.name in r.content.decode() for p in people)
    r = client.post(
        reverse("programs:nominate", args=[world["program"].pk]), {"people": [p.pk for p in people]}
    )
    assert r.status_code == 302 and Application.objects.count() == 3
    for app in Application.objects.all():
        for kind in ("ktp", "kk", "npwp", "payslip", "employment_letter"):
            client.post(
                reverse("programs:application_detail", args=[app.pk]),
                {
                    "action": "upload",
                    "kind": kind,
                    "file": SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
                },
            )
    client.force_login(world["o1"])
    for app in Application.objects.all():
        client.post(reverse("programs:application_detail", args=[app.pk]), {"action": "verify"})
    assert set(Application.objects.values_list("status", flat=True)) == {"verified"}
    ids = list(Application.objects.values_list("pk", flat=True))
    r = client.post(
        reverse("programs:application_bulk"),
        {"program": world["program"].pk, "ids": ids, "action": "approve"},
        follow=True,
    )
    assert "3" in r.content.decode() and set(Application.objects.values_list("status", flat=True)) == {
        "verified"
    }
    client.force_login(world["o2"])
    client.post(
        reverse("programs:application_bulk"),
        {"program": world["program"].pk, "ids": ids, "action": "approve"},
    )
    client.post(
        reverse("programs:application_bulk"), {"program": world["program"].pk, "ids": ids, "action": "issue"}
    )
    assert Card.objects.count() == 3
    r = client.post(reverse("programs:card_print"), {"ids": list(Card.objects.values_list("pk", flat=True))})
    job = Job.objects.get()
    if job.status == "queued":  # the database task backend: run it here as the worker would
        job = job_execute(job)
    assert r.url == reverse("core:job_detail", args=[job.pk])
    assert job.status == "succeeded" and job.done == 3 and job.result_file.name.endswith(".pdf")
    assert job.result_file.open("rb").read(4) == b"%PDF"


def test_documents_are_served_only_within_scope_and_audited(client, world, make_user):
    person = worker(wage=Decimal(5_000_000), body=world["body"])
    services.nominate(actor=world["official"], program=world["program"], person_ids=[person.pk])
    app = Application.objects.get()
    doc = services.document_upload(
        actor=world["official"],
        application=app,
        kind="ktp",
        upload=SimpleUploadedFile("k.pdf", PDF, "application/pdf"),
    )
    url = reverse("programs:document_download", args=[doc.pk])
    client.force_login(make_user("union_official"))
    assert client.get(url).status_code == 404
    client.force_login(world["o1"])
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert AuditEntry.objects.filter(action="reveal", object_id=str(app.pk)).exists()


def test_public_verification_page_and_endpoint_without_login(client, world):
    person = worker(wage=Decimal(5_000_000), body=world["body"])
    services.nominate(actor=world["official"], program=world["program"], person_ids=[person.pk])
    app = Application.objects.get()
    Application.objects.filter(pk=app.pk).update(status="approved")
    services.cards_issue(actor=world["o1"], program=world["program"])
    card = Card.objects.get()
    token = services.card_token(card.number)
    r = client.get(reverse("programs:verify", args=[token]))
    html = r.content.decode()
    assert (
        r.status_code == 200
        and 'data-status="valid"' in html
        and person.name not in html
        and person.nik not in html
    )
    r = client.get(reverse("programs:verify", args=[token[:-1] + ("A" if token[-1] != "A" else "B")]))
    assert 'data-status="unknown"' in r.content.decode()
    api = client.get("/api/v1/programs/cards/verify", {"token": token})
    assert api.status_code == 200 and api.json()["status"] == "valid"
    services.card_revoke(actor=world["o1"], card=card, reason="uji")
    assert client.get("/api/v1/programs/cards/verify", {"token": token}).json()["status"] == "revoked"
    assert 'data-status="revoked"' in client.get(reverse("programs:verify", args=[token])).content.decode()


def test_hand_over_page_refuses_a_second_package_with_when_and_where(client, make_user):
    branch = make_user("ss_officer", region="3172")
    dist = services.distribution_create(
        actor=branch,
        name="May Day 2024",
        region_id="3172",
        event_date=dt.date(2025, 6, 14),
        place="GOR Rawa Badak",
        package="sembako",
        stock_received=580,
    )
    person = PersonFactory()
    client.force_login(branch)
    url = reverse("programs:distribution_detail", args=[dist.pk])
    client.post(url, {"action": "handover", "nik": person.nik})
    r = client.post(url, {"action": "handover", "nik": person.nik}, follow=True)
    html = r.content.decode()
    assert "GOR Rawa Badak" in html and dist.handovers.count() == 1
    assert 'data-testid="rec-handed">1<' in html and 'data-testid="rec-remaining">579<' in html
    api = client.post(
        f"/api/v1/programs/distributions/{dist.pk}/handovers",
        {"nik": person.nik},
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["code"] == "already_received"


def test_pages_answer_for_every_role_and_hide_other_regions(client, world, make_user):
    jember = make_user("agency_officer", region="3509")
    client.force_login(jember)
    for name in (
        "program_list",
        "application_list",
        "card_list",
        "distribution_list",
        "cohort_list",
        "coop_list",
        "verify_form",
    ):
        assert client.get(reverse(f"programs:{name}")).status_code == 200, name
    assert client.get(reverse("programs:program_detail", args=[world["program"].pk])).status_code == 404
    assert client.get(f"/api/v1/programs/{world['program'].pk}").status_code == 404
    assert client.get("/api/v1/programs/").json() == []
    client.force_login(world["o1"])
    assert client.get("/api/v1/programs/").json()[0]["code"] == "KPJ2025"
    real = client.get(f"/api/v1/programs/{world['program'].pk}/realisation").json()
    assert real["annual_target"] == 23000 and [q["target"] for q in real["quarters"]] == [
        6000,
        4500,
        5750,
        6750,
    ]


def test_an_officer_creates_a_program_and_its_target_and_bad_rules_are_refused(client, make_user):
    officer = make_user("agency_officer")
    client.force_login(officer)
    data = {
        "code": "KPJ2022",
        "name": "Kartu Pekerja Jakarta 2022",
        "kind": "worker_card",
        "region": "31",
        "legal_basis": "Disnakertrans DKI 2021",
        "year": "2022",
        "start_date": "2022-01-01",
        "end_date": "2022-12-31",
        **rule_rows([("ktp_province", "is", "31"), ("wage", "within_ceiling", "")]),
    }
    bad = {**data, **rule_rows([("age", "between", "18")])}
    r = client.post(reverse("programs:program_create"), bad)
    assert r.status_code == 400 and not Program.objects.exists()
    r = client.post(reverse("programs:program_create"), {**data, **rule_rows([("bribe", "is", "1")])})
    assert r.status_code == 400 and not Program.objects.exists()
    r = client.post(reverse("programs:program_create"), data)
    program = Program.objects.get()
    assert program.rules == [{"rule": "ktp_province", "value": "31"}, {"rule": "kpj_wage_ceiling"}]
    assert r.url == reverse("programs:program_detail", args=[program.pk])
    assert "Rp5.122.025" in client.get(r.url).content.decode()  # the 2022 ceiling from the first decree
    api = client.put(
        f"/api/v1/programs/{program.pk}/targets",
        {"year": 2022, "annual": 100, "quarters": [10, 20, 30, 30]},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["code"] == "quarters_sum"
    api = client.put(
        f"/api/v1/programs/{program.pk}/targets",
        {"year": 2022, "annual": 100, "quarters": [10, 20, 30, 40]},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["annual_target"] == 100
    jember = make_user("agency_officer", region="3509")
    client.force_login(jember)
    r = client.post("/api/v1/programs/", {**data, "code": "X", "rules": []}, content_type="application/json")
    assert r.status_code == 403


def test_a_branch_creates_a_distribution_and_allocates_it_through_the_api(client, make_user):
    from tests.factories import MembershipFactory

    branch = make_user("ss_officer", region="3172")
    a, b = UnionBodyFactory(region_id="3172"), UnionBodyFactory(region_id="3172")
    for _ in range(2):
        MembershipFactory(body=a)
    MembershipFactory(body=b)
    client.force_login(branch)
    r = client.post(
        "/api/v1/programs/distributions",
        {
            "name": "May Day",
            "region": "3172",
            "event_date": "2025-06-14",
            "place": "GOR Rawa Badak",
            "package": "sembako",
            "stock_received": 580,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = client.post(
        f"/api/v1/programs/distributions/{pk}/allocations",
        {"bodies": [a.pk, b.pk]},
        content_type="application/json",
    )
    assert r.json()["allocated"] == 580 and r.json()["balanced"]
    bad = client.post(
        "/api/v1/programs/distributions",
        {
            "name": "x",
            "region": "3172",
            "event_date": "2025-06-14",
            "place": "",
            "package": "p",
            "stock_received": 0,
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    official = make_user("union_official", union_body=a)
    client.force_login(official)
    assert client.get(f"/api/v1/programs/distributions/{pk}").status_code == 200  # its body has an allocation
    assert (
        client.post(
            "/api/v1/programs/distributions",
            {
                "name": "y",
                "region": "3172",
                "event_date": "2025-06-14",
                "place": "p",
                "package": "p",
                "stock_received": 5,
            },
            content_type="application/json",
        ).status_code
        == 403
    )


def test_a_hand_over_proof_image_is_stored_and_served_only_in_scope(client, make_user):
    branch = make_user("ss_officer", region="3172")
    dist = services.distribution_create(
        actor=branch,
        name="May Day",
        region_id="3172",
        event_date=dt.date(2025, 6, 14),
        place="Koja",
        package="sembako",
        stock_received=5,
    )
    person = PersonFactory()
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 32
    client.force_login(branch)
    client.post(
        reverse("programs:distribution_detail", args=[dist.pk]),
        {"action": "handover", "nik": person.nik, "proof": SimpleUploadedFile("ttd.png", png, "image/png")},
    )
    hand = dist.handovers.get()
    assert hand.proof.name
    url = reverse("programs:handover_proof", args=[hand.pk])
    assert b"".join(client.get(url).streaming_content) == png
    client.force_login(make_user("agency_officer", region="3509"))
    assert client.get(url).status_code == 404


def test_the_eligible_count_is_loaded_after_the_page(client, world):
    worker(wage=Decimal(5_000_000))
    worker(wage=Decimal(9_000_000))
    client.force_login(world["o1"])
    url = reverse("programs:program_detail", args=[world["program"].pk])
    assert 'hx-get="?part=eligible"' in client.get(url).content.decode()
    assert client.get(url, {"part": "eligible"}).content.decode() == "1"


def test_a_returned_count_that_is_not_a_number_gets_a_message_not_a_server_error(client, make_user):
    branch = make_user("ss_officer", region="3172")
    dist = services.distribution_create(
        actor=branch,
        name="May Day 2024",
        region_id="3172",
        event_date=dt.date(2024, 5, 1),
        place="GOR Rawa Badak",
        package="sembako",
        stock_received=580,
    )
    client.force_login(branch)
    url = reverse("programs:distribution_detail", args=[dist.pk])
    r = client.post(url, {"action": "return", "count": "5 paket"}, follow=True, HTTP_ACCEPT_LANGUAGE="id")
    assert r.status_code == 200
    dist.refresh_from_db()
    assert dist.stock_returned == 0
    assert "bilangan bulat" in r.content.decode()
    r = client.post(url, {"action": "return", "count": "5"}, follow=True)
    dist.refresh_from_db()
    assert dist.stock_returned == 5
