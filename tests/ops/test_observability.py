"""JSON logs with request and user ids (no personal data), token-protected metrics, readiness."""

import json
import logging

import pytest
from django.utils import timezone

from sinergi.core.jobs import job_start
from sinergi.ops.models import WorkerHeartbeat
from sinergi.ops.observability import ContextFilter, JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_records():
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(JsonFormatter().format(record))

    handler = Keep()
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("sinergi.request")
    old = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(old)


def test_request_log_carries_request_and_user_id_but_no_personal_data(
    client, make_user, password, json_records
):
    officer = make_user("agency_officer")
    officer.first_name, officer.last_name = "Siti", "Rahayu"
    officer.save()
    client.login(username=officer.username, password=password)
    response = client.get("/jobs/", HTTP_X_REQUEST_ID="req-123")
    assert response["X-Request-ID"] == "req-123"
    entry = json.loads(json_records[-1])
    assert entry["request_id"] == "req-123" and entry["user_id"] == str(officer.pk)
    assert entry["view"] == "core:job_list" and entry["status"] == 200 and entry["duration_ms"] >= 0
    text = json_records[-1]
    assert "Siti" not in text and officer.username not in text
    # a forged id with odd characters is replaced
    response = client.get("/jobs/", HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32


def test_metrics_need_the_token_and_report_views_jobs_and_queue(client, settings):
    settings.SINERGI_METRICS_TOKEN = ""
    assert client.get("/ops/metrics").status_code == 404
    settings.SINERGI_METRICS_TOKEN = "s3cret-token"
    assert client.get("/ops/metrics").status_code == 401
    assert client.get("/ops/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    client.get("/healthz")
    from tests.ops.test_faults_and_outbox import _write  # noqa: F401  (registers tests.ops_write)

    job_start(kind="tests.ops_write", title="t")
    job_start(kind="tests.ops_write", title="t", params={"explode": True})
    body = client.get("/ops/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
    assert 'sinergi_http_request_duration_seconds_count{method="GET",status="200",view="core:health"}' in body
    assert 'sinergi_jobs_total{kind="tests.ops_write",status="succeeded"} 1.0' in body
    assert 'sinergi_jobs_total{kind="tests.ops_write",status="failed"} 1.0' in body
    assert 'sinergi_job_duration_seconds_total{kind="tests.ops_write",status="failed"}' in body
    assert 'sinergi_job_queue_depth{status="queued"} 0.0' in body
    assert "sinergi_workers_alive 0.0" in body


def test_readiness_checks_database_and_workers(client, settings):
    settings.SINERGI_READY_MIN_WORKERS = 1
    response = client.get("/ops/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["workers"] == {"ok": False, "alive": 0, "required": 1}
    WorkerHeartbeat.objects.create(worker="w:1", seen_at=timezone.now())
    response = client.get("/ops/readyz")
    assert response.status_code == 200 and response.json()["checks"]["database"]["ok"] is True


def test_deploy_check_reports_each_part(capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="workers"):
        call_command("sinergi_deploy_check")
    out = capsys.readouterr().out
    assert "OK   database and migrations" in out and "OK   shared cache" in out and "FAIL workers" in out
    from sinergi.ops.scheduler import SchedulerLoop

    SchedulerLoop(interval=30, holder="w:1").once()
    call_command("sinergi_deploy_check")
    assert "OK   scheduler leader" in capsys.readouterr().out


def test_probe_job_writes_all_rows_once():
    from sinergi.core.jobs import job_start
    from sinergi.ops.models import ProbeRow

    job = job_start(kind="ops.probe", title="p", params={"rows": 4})
    job.refresh_from_db()
    assert job.status == "succeeded" and ProbeRow.objects.filter(job=job).count() == 4


def test_replica_router_sends_only_domain_reads_of_marked_requests_to_the_replica():
    from django.apps import apps
    from django_tasks_db.models import DBTaskResult

    from sinergi.ops.replica import ReplicaRouter, use_replica

    router = ReplicaRouter()
    person, user = apps.get_model("registry.Person"), apps.get_model("accounts.User")
    assert router.db_for_read(person) == "default"
    token = use_replica.set(True)
    try:
        assert router.db_for_read(person) == "replica"
        for model in (user, apps.get_model("core.Job"), DBTaskResult, apps.get_model("sessions.Session")):
            assert router.db_for_read(model) == "default"
        assert router.db_for_write(person) == "default"
    finally:
        use_replica.reset(token)
    assert router.allow_migrate("replica", "registry") is False and router.allow_migrate(
        "default", "registry"
    )


def test_replica_middleware_marks_report_pages_only(rf, settings, monkeypatch):
    from django.urls import resolve

    from sinergi.ops import replica

    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
    monkeypatch.setattr(replica, "replica_ok", lambda: True)
    seen = {}

    def view(request):
        from django.http import HttpResponse

        seen["replica"] = replica.use_replica.get()
        return HttpResponse("ok")

    middleware = replica.ReplicaMiddleware(view)
    for path, expected in (("/aspirations/reports/", True), ("/jobs/", False)):
        request = rf.get(path)
        request.resolver_match = resolve(path)
        middleware.process_view(request, view, (), {})
        response = middleware(request)
        assert seen["replica"] is expected and (response.get("X-Sinergi-Database") == "replica") is expected
    assert replica.use_replica.get() is False
    post = rf.post("/jobs/")
    post.resolver_match = resolve("/jobs/")
    assert replica.PIN_COOKIE in middleware(post).cookies
