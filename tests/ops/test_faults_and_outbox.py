"""Jobs survive a dead worker (requeued or failed with the reason, never run twice); mail retries."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from sinergi.core.jobs import job_claim, job_execute, job_handler, job_start
from sinergi.core.models import AuditEntry, Job
from sinergi.ops import faults, outbox
from sinergi.ops.models import OutboxMessage, WorkerHeartbeat

pytestmark = pytest.mark.django_db

CALLS = []


@job_handler("tests.ops_write")
def _write(job, progress):
    CALLS.append(job.pk)
    with transaction.atomic():
        AuditEntry.objects.create(action="other", object_repr=f"written by job {job.pk}")
        progress.touch("Audit entry", "/audit/")
        if job.params.get("explode"):
            raise RuntimeError("disk full")
    return {"ok": True}


def _running_job(worker, attempts=1, started=None):
    job = Job.objects.create(kind="tests.ops_write", title="t", status=Job.Status.RUNNING, worker=worker)
    Job.objects.filter(pk=job.pk).update(attempts=attempts, started_at=started or timezone.now())
    job.refresh_from_db()
    return job


def _beat(worker, seconds_ago):
    WorkerHeartbeat.objects.create(worker=worker, seen_at=timezone.now() - dt.timedelta(seconds=seconds_ago))


def test_a_job_is_claimed_once():
    job = Job.objects.create(kind="tests.ops_write", title="t")
    assert job_claim(job) is True
    assert job_claim(Job.objects.get(pk=job.pk)) is False
    CALLS.clear()
    job_execute(Job.objects.get(pk=job.pk))  # already running elsewhere: not run again
    assert CALLS == []


def test_job_of_a_dead_worker_is_queued_again_and_finishes(django_capture_on_commit_callbacks):
    _beat("dead:1", seconds_ago=3600)
    job = _running_job("dead:1", attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert faults.jobs_recover_stale() == {"retried": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2
    assert any("dead:1" in m for m in job.messages)  # the reason names the silent worker
    assert job.links == [{"label": "Audit entry", "url": "/audit/"}]


def test_job_of_a_dead_worker_fails_with_the_reason_after_its_last_attempt():
    _beat("dead:2", seconds_ago=3600)
    job = _running_job("dead:2", attempts=2)
    assert faults.jobs_recover_stale() == {"retried": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "dead:2" in job.error and job.finished_at


def test_jobs_of_live_or_unknown_workers_are_left_alone():
    _beat("alive:1", seconds_ago=5)
    live = _running_job("alive:1")
    cli = _running_job("cli-host:99", started=timezone.now() - dt.timedelta(minutes=30))
    assert faults.jobs_recover_stale() == {"retried": 0, "failed": 0}
    for job in (live, cli):
        job.refresh_from_db()
        assert job.status == Job.Status.RUNNING


def test_a_late_write_by_a_worker_declared_dead_changes_nothing():
    job = Job.objects.create(kind="tests.ops_write", title="t")
    job_claim(job)
    # the worker is declared dead and the job given to another
    Job.objects.filter(pk=job.pk).update(worker="other:2")
    from sinergi.core import jobs

    job.worker = jobs.worker_id()
    handler = jobs.HANDLERS["tests.ops_write"]
    progress = jobs.Progress(job)
    handler(job, progress)
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=jobs.worker_id()).update(
        status="succeeded"
    )
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_a_failed_job_left_nothing_and_runs_again_from_its_page(
    client, make_user, password, django_capture_on_commit_callbacks
):
    officer = make_user("agency_officer")
    job = job_start(kind="tests.ops_write", user=officer, params={"explode": True}, title="t")
    assert job.status == Job.Status.FAILED and job.error == "disk full"
    assert not AuditEntry.objects.filter(object_repr=f"written by job {job.pk}").exists()
    Job.objects.filter(pk=job.pk).update(params={})
    client.login(username=officer.username, password=password)
    page = client.get(f"/jobs/{job.pk}/")
    assert b'data-testid="job-restart"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/jobs/{job.pk}/restart").status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2
    assert AuditEntry.objects.filter(object_repr=f"written by job {job.pk}").count() == 1
    assert b"job-links" in client.get(f"/jobs/{job.pk}/").content
    # a finished job cannot be run again; another organisation cannot see it
    assert client.post(f"/jobs/{job.pk}/restart").status_code == 409
    stranger = make_user("agency_officer")
    client.login(username=stranger.username, password=password)
    assert client.post(f"/jobs/{job.pk}/restart").status_code == 404


def test_idempotency_key_returns_the_first_job():
    first = job_start(kind="tests.ops_write", title="t", idempotency_key="tests:2027-01")
    again = job_start(kind="tests.ops_write", title="t", idempotency_key="tests:2027-01")
    assert again.pk == first.pk and Job.objects.filter(kind="tests.ops_write").count() == 1


def test_mail_is_retried_then_marked_failed_and_can_be_sent_again(settings, make_user, password, client):
    settings.EMAIL_BACKEND = "tests.ops.failing_mail.Backend"
    settings.SINERGI_MAIL_MAX_ATTEMPTS = 3
    message = outbox.mail_queue(to=["a@example.go.id"], subject="Hi", body="b", key="k1")
    assert outbox.mail_queue(to=["a@example.go.id"], subject="Hi", body="b", key="k1") is None
    outbox.outbox_send.enqueue(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING and message.attempts == 1
    assert "SMTP down" in message.last_error and message.next_attempt_at > timezone.now()
    assert outbox.outbox_sweep() == 0  # pause not over
    for _ in range(2):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        outbox.outbox_sweep()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and message.attempts == 3

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin = make_user("admin")
    client.login(username=admin.username, password=password)
    page = client.get("/ops/outbox/?status=failed").content
    assert b"SMTP down" in page and b"https://wa.me/?text=Hi%3A%20b" in page
    response = client.post(f"/ops/outbox/{message.pk}/resend")
    assert response.status_code == 302
    outbox.outbox_sweep()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and mail.outbox[-1].subject == "Hi"


@pytest.mark.parametrize(
    "phone, expected",
    [
        ("0812-3456-7890", "6281234567890"),
        ("+62 812 3456 7890", "6281234567890"),
        ("81234567890", "6281234567890"),
        ("12", ""),
    ],
)
def test_whatsapp_links(phone, expected):
    from sinergi.ops.share import whatsapp_url

    url = whatsapp_url("Rapat LKS Tripartit: Senin 10.00 & bawa KTP", phone)
    assert (
        url == f"https://wa.me/{expected}?text=Rapat%20LKS%20Tripartit%3A%20Senin%2010.00%20%26%20bawa%20KTP"
    )
