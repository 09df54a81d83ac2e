"""Idempotency keys and heartbeats of the jobs that write (issue #17): a start submitted twice runs once;
every progress write is a heartbeat; a job run outside a worker is judged by its own heartbeat."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from sinergi.core import jobs
from sinergi.core.jobs import Progress, fault_pause_seconds, job_start
from sinergi.core.models import Job
from sinergi.ops import faults
from sinergi.registry.models import Person
from tests.factories import EmployerFactory, UnionBodyFactory
from tests.registry.test_import import csv_bytes, good_rows

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="idempotency_key" value="([0-9a-f]{32})"')


def test_the_billing_form_posted_twice_starts_one_billing_job(client, make_user, password):
    admin = make_user("admin")
    client.login(username=admin.username, password=password)
    page = client.get("/coverage/billing/").content.decode()
    token = TOKEN.search(page).group(1)  # every render of the form carries a fresh key
    assert token != TOKEN.search(client.get("/coverage/billing/").content.decode()).group(1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        first = client.post("/coverage/billing/", {"month": "2027-01", "idempotency_key": token})
        second = client.post("/coverage/billing/", {"month": "2027-01", "idempotency_key": token})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Job.objects.filter(kind="coverage.billing").count() == 1
    assert Job.objects.get(kind="coverage.billing").idempotency_key.endswith(token)


def test_the_billing_api_honours_the_idempotency_key_header(client, make_user, password):
    admin = make_user("admin")
    client.login(username=admin.username, password=password)
    ids = set()
    for _ in range(2):
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                "/api/v1/coverage/billing-runs",
                {"month": "2027-02"},
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY="client-retry-0001",
            )
        assert response.status_code == 202, response.content
        ids.add(response.json()["job_id"])
    assert len(ids) == 1
    # a malformed key is ignored, not an error: the start is then only guarded by the month's lock
    assert jobs.IDEMPOTENCY_TOKEN.match("a b") is None


def test_committing_the_same_checked_file_twice_writes_it_once(client, make_user, password):
    employer = EmployerFactory()
    dpw = UnionBodyFactory(name="DPW Ulang", kind="unit")
    puk = UnionBodyFactory(name="PUK Ulang", kind="unit", parent=dpw, employer=employer)
    official = make_user("union_official", union_body=dpw)
    client.login(username=official.username, password=password)
    token = TOKEN.search(client.get("/registry/import/").content.decode()).group(1)
    data = csv_bytes(good_rows(3))
    with TestCase.captureOnCommitCallbacks(execute=True):
        for _ in range(2):  # double click on "Check"
            client.post(
                "/registry/import/",
                {"file": SimpleUploadedFile("a.csv", data, content_type="text/csv"), "body": puk.pk,
                 "idempotency_key": token},
            )  # fmt: skip
    validate_job = Job.objects.get(kind="registry.import")
    with TestCase.captureOnCommitCallbacks(execute=True):
        one = client.post(f"/registry/import/{validate_job.pk}/commit/")
        two = client.post(f"/registry/import/{validate_job.pk}/commit/")
    assert one["Location"] == two["Location"]
    assert Job.objects.filter(kind="registry.import", params__mode="commit").count() == 1
    assert Person.objects.count() == 3


def test_the_card_and_duplicate_forms_carry_a_key(client, make_user, password):
    admin = make_user("admin")
    client.login(username=admin.username, password=password)
    assert TOKEN.search(client.get("/programs/cards/").content.decode())
    assert TOKEN.search(client.get("/registry/duplicates/").content.decode())


def test_every_progress_write_is_a_heartbeat_and_beat_is_throttled():
    job = Job.objects.create(kind="tests.ops_write", title="t", total=10)
    progress = Progress(job, every=1)
    assert Job.objects.get(pk=job.pk).heartbeat_at is None
    progress.advance()
    first = Job.objects.get(pk=job.pk).heartbeat_at
    assert first is not None
    Job.objects.filter(pk=job.pk).update(heartbeat_at=None)
    progress.beat()  # within 5 s of the last write: nothing written
    assert Job.objects.get(pk=job.pk).heartbeat_at is None
    progress.beat(every=0)
    assert Job.objects.get(pk=job.pk).heartbeat_at is not None


def test_a_job_outside_any_worker_is_recovered_only_when_its_own_heartbeat_is_old():
    old = timezone.now() - dt.timedelta(days=1)
    quiet = Job.objects.create(kind="tests.ops_write", title="t", status=Job.Status.RUNNING, worker="cli:1")
    busy = Job.objects.create(kind="tests.ops_write", title="t", status=Job.Status.RUNNING, worker="cli:2")
    Job.objects.filter(pk__in=[quiet.pk, busy.pk]).update(started_at=old, attempts=2)
    Job.objects.filter(pk=quiet.pk).update(heartbeat_at=old)
    Job.objects.filter(pk=busy.pk).update(heartbeat_at=timezone.now())
    assert faults.jobs_recover_stale() == {"retried": 0, "failed": 1}
    assert Job.objects.get(pk=quiet.pk).status == Job.Status.FAILED
    assert Job.objects.get(pk=busy.pk).status == Job.Status.RUNNING


def test_the_fault_drill_setting(monkeypatch):
    monkeypatch.setenv("SINERGI_FAULT_JOB_PAUSE", "coverage.billing:2, programs.print_cards:0.5,x:bad")
    assert fault_pause_seconds("coverage.billing") == 2.0
    assert fault_pause_seconds("programs.print_cards") == 0.5
    assert fault_pause_seconds("x") == 0.0
    assert fault_pause_seconds("registry.import") == 0.0
    monkeypatch.delenv("SINERGI_FAULT_JOB_PAUSE")
    assert fault_pause_seconds("coverage.billing") == 0.0


def test_idempotent_start_runs_the_handler_once():
    from tests.ops.test_faults_and_outbox import CALLS

    CALLS.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        a = job_start(kind="tests.ops_write", title="t", idempotency_key="tests:once")
        b = job_start(kind="tests.ops_write", title="t", idempotency_key="tests:once")
    assert a.pk == b.pk and CALLS == [a.pk]
