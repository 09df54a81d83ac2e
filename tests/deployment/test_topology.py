"""The production topology on loopback, driven end to end (the `deployment` CI leg; needs root + PostgreSQL 15).

PostgreSQL primary + streaming replica (pg_createcluster, pg_basebackup), two gunicorn web processes,
two `sinergi worker` processes, the database cache (Redis when SINERGI_REDIS_URL is set). It logs in
and runs a job through the web, kills a worker in the middle of a job (the job is retried on the other
worker and written exactly once), loads the demo and kills a worker inside a billing run's transaction,
during a card batch and inside a member import's commit (SINERGI_FAULT_JOB_PAUSE makes their progress writes pause; nothing
half-written, the retry does the work once), restarts the primary, and does backup → wipe → restore.

Run: SINERGI_DEPLOYMENT_TEST=1 pytest -m deployment tests/deployment   (ports: SINERGI_DEPLOY_PG_PORT,
SINERGI_DEPLOY_REPLICA_PORT, SINERGI_DEPLOY_WEB_PORT; defaults 5448, 5449, 8108)
"""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.deployment,
    pytest.mark.skipif(
        not os.environ.get("SINERGI_DEPLOYMENT_TEST"),
        reason="set SINERGI_DEPLOYMENT_TEST=1 (the deployment leg)",
    ),
]

PG = int(os.environ.get("SINERGI_DEPLOY_PG_PORT", "5448"))
REPLICA = int(os.environ.get("SINERGI_DEPLOY_REPLICA_PORT", "5449"))
WEB = int(os.environ.get("SINERGI_DEPLOY_WEB_PORT", "8108"))
BIN = Path(sys.executable).parent
PRIMARY_CLUSTER, REPLICA_CLUSTER = f"deploy{PG}", f"deploy{REPLICA}"


def sh(cmd, check=True, timeout=120, **kw):
    return subprocess.run(  # noqa: S602 (fixed commands, test only)
        cmd,
        shell=True,
        check=check,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


def wait_for(what, func, timeout=60, every=0.5):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = func()
            if last:
                return last
        except Exception as exc:  # not up yet
            last = exc
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


class Topology:
    def __init__(self, home: Path):
        self.home = home
        self.procs: dict[str, subprocess.Popen] = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "SINERGI_", "DJANGO_"))},
            "DATABASE_URL": f"postgres://sinergi:sinergi@127.0.0.1:{PG}/sinergi",
            "SINERGI_REPLICA_URL": f"postgres://sinergi:sinergi@127.0.0.1:{REPLICA}/sinergi",
            "SINERGI_HOME": str(home),
            "SINERGI_SECRET_KEY": "deployment-test-secret-key-not-for-production-0123456789",
            "SINERGI_SCHEDULER_INTERVAL": "1",
            "SINERGI_WORKER_STALE_SECONDS": "5",
            "SINERGI_METRICS_TOKEN": "metrics-token",
            "SINERGI_BACKUP_KEY": "",
            "SINERGI_LOG_FORMAT": "json",
            "SINERGI_CONN_MAX_AGE": "0",
            # the fault drill: every progress write of these jobs pauses, so a worker can be killed
            # in the middle of a billing run and of a member import (inside their transactions) and of a card batch
            "SINERGI_FAULT_JOB_PAUSE": "coverage.billing:3,programs.print_cards:4,registry.import:3",
        }
        if os.environ.get("SINERGI_REDIS_URL"):
            self.env["SINERGI_REDIS_URL"] = os.environ["SINERGI_REDIS_URL"]

    def run(self, *args, check=True, timeout=180):
        done = subprocess.run(
            [str(BIN / "sinergi"), *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if check and done.returncode != 0:
            raise AssertionError(f"sinergi {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def py(self, code: str) -> str:
        return (self.run("manage", "shell", "-v", "0", "-c", code).stdout.strip().splitlines() or [""])[-1]

    def start(self, name, argv):
        log = (self.home / f"{name}.log").open("w")
        self.procs[name] = subprocess.Popen(argv, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def start_web(self):
        self.start(
            "web",
            [
                str(BIN / "gunicorn"),
                "sinergi.config.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{WEB}",
                "--timeout",
                "60",
            ],
        )
        wait_for("web", lambda: self.get("/healthz")[0] == 200)

    def start_worker(self, name):
        self.start(name, [str(BIN / "sinergi"), "worker", "--interval", "0.3"])

    def stop(self, name, sig=signal.SIGTERM):
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)

    def stop_all(self):
        for name in list(self.procs):
            self.stop(name)

    def get(self, path, opener=None, headers=None):
        request = urllib.request.Request(f"http://127.0.0.1:{WEB}{path}", headers=headers or {})
        try:
            with (opener or urllib.request.build_opener()).open(request, timeout=15) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), dict(exc.headers)


def _make_clusters():
    for cluster in (PRIMARY_CLUSTER, REPLICA_CLUSTER):
        sh(f"pg_dropcluster --stop 15 {cluster}", check=False)
    sh(f"pg_createcluster 15 {PRIMARY_CLUSTER} -p {PG} --start -- --auth-host=trust --auth-local=trust")
    sh(f'su postgres -c "psql -p {PG} -c \\"CREATE ROLE sinergi SUPERUSER LOGIN PASSWORD \'sinergi\'\\""')
    sh(f"su postgres -c \"psql -p {PG} -c 'CREATE DATABASE sinergi OWNER sinergi'\"")
    sh(f"pg_createcluster 15 {REPLICA_CLUSTER} -p {REPLICA} -- --auth-host=trust --auth-local=trust")
    data = f"/var/lib/postgresql/15/{REPLICA_CLUSTER}"
    sh(
        f"rm -rf {data} && su postgres -c 'pg_basebackup -h 127.0.0.1 -p {PG} -U postgres -D {data} -R -X stream'"
    )
    sh(f"pg_ctlcluster 15 {REPLICA_CLUSTER} start")


@pytest.fixture(scope="module")
def topo():
    home = Path(tempfile.mkdtemp(prefix="sinergi-deploy-"))
    os.chmod(home, 0o755)  # noqa: S103 (postgres reads nothing here, but pg tools cd into it)
    _make_clusters()
    t = Topology(home)
    try:
        t.run("manage", "migrate", "--noinput", timeout=300)
        # region 36 (Banten), not 31: the demo loaded later routes Jakarta aspirations to the agency
        # of region 31 it creates, and the oldest agency of a region would win the routing
        t.py(
            "from sinergi.accounts.models import Organisation, User; "
            "o = Organisation.objects.create(kind='agency', name='Dinas Uji', region_id='36'); "
            "User.objects.create_user('admin.uji', 'admin@example.go.id', 'Sandi-Uji-Panjang-2026', "
            "role='admin', organisation=o)"
        )
        t.start_web()
        t.start_worker("worker-a")
        t.start_worker("worker-b")
        yield t
    finally:
        t.stop_all()
        for cluster in (REPLICA_CLUSTER, PRIMARY_CLUSTER):
            sh(f"pg_dropcluster --stop 15 {cluster}", check=False)
        if not os.environ.get("SINERGI_DEPLOY_KEEP"):
            shutil.rmtree(home, ignore_errors=True)


def login(t):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    status, page, _ = t.get("/accounts/login/", opener)
    assert status == 200, page[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "admin.uji", "password": "Sandi-Uji-Panjang-2026"}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{WEB}/accounts/login/", data=data, headers={"Referer": f"http://127.0.0.1:{WEB}/"}
    )
    with opener.open(request, timeout=15) as response:
        assert response.status == 200 and "/accounts/login/" not in response.url
    return opener, jar


def csrf(jar):
    return next(c.value for c in jar if c.name == "csrftoken")


def post(t, opener, jar, path, fields):
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf(jar), **fields}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{WEB}{path}", data=data, headers={"Referer": f"http://127.0.0.1:{WEB}/"}
    )
    with opener.open(request, timeout=30) as response:
        return response.status, response.url


def job_state(t, job_id):
    sql = (
        "SELECT json_build_object('status', j.status, 'worker', j.worker, 'attempts', j.attempts, "
        "'error', j.error, 'rows', (SELECT count(*) FROM ops_proberow p WHERE p.job_id = j.id), "
        "'writers', (SELECT count(DISTINCT written_by) FROM ops_proberow p WHERE p.job_id = j.id)) "
        f"FROM core_job j WHERE j.id = {int(job_id)}"
    )
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(PG), "-U", "sinergi", "-d", "sinergi", "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(out.stdout)


def test_1_topology_answers_and_a_web_job_runs_on_a_worker(topo):
    opener, jar = login(topo)
    status, url = post(topo, opener, jar, "/audit/export", {"purpose": "deployment test"})
    job_id = int(re.search(r"/jobs/(\d+)/", url).group(1))
    wait_for("audit export job", lambda: '"succeeded"' in topo.get(f"/jobs/{job_id}/", opener)[1], timeout=60)
    # the replica follows the primary
    wait_for(
        "replica",
        lambda: (
            sh(
                f"su postgres -c \"psql -p {REPLICA} -d sinergi -tAc 'SELECT count(*) FROM core_job'\""
            ).stdout.strip()
            != "0"
        ),
    )
    status, body, _ = topo.get("/ops/readyz")
    ready = json.loads(body)
    assert status == 200, body
    assert ready["checks"]["replica"]["ok"] and ready["checks"]["workers"]["alive"] >= 2
    status, body, _ = topo.get("/ops/metrics", headers={"Authorization": "Bearer metrics-token"})
    assert status == 200 and 'sinergi_jobs_total{kind="core.audit_export",status="succeeded"} 1.0' in body
    check = topo.run("deploy-check", "--url", f"http://127.0.0.1:{WEB}", "--probe", check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_2_a_killed_worker_leaves_its_job_retried_once_and_written_once(topo):
    job_id = int(
        topo.py(
            "from sinergi.core.jobs import job_start; "
            "print(job_start(kind='ops.probe', title='kill test', params={'rows': 40, 'pause': 0.5}).pk)"
        )
    )
    first = wait_for(
        "probe running", lambda: (s := job_state(topo, job_id))["status"] == "running" and s, timeout=30
    )
    pid = int(first["worker"].rsplit(":", 1)[1])
    victim = next(name for name, proc in topo.procs.items() if proc.pid == pid)
    time.sleep(1)  # in the middle of its transaction
    topo.stop(victim, sig=signal.SIGKILL)
    assert job_state(topo, job_id)["rows"] == 0  # nothing half-written
    done = wait_for(
        "retried probe",
        lambda: (s := job_state(topo, job_id))["status"] in ("succeeded", "failed") and s,
        timeout=90,
    )
    assert done["status"] == "succeeded", done
    assert done["attempts"] == 2 and done["rows"] == 40 and done["writers"] == 1
    assert done["worker"] != first["worker"]
    topo.start_worker(victim)  # back to two workers


def _kill_worker_of(topo, job_id):
    worker = job_state(topo, job_id)["worker"]
    pid = int(worker.rsplit(":", 1)[1])
    victim = next(name for name, proc in topo.procs.items() if proc.pid == pid)
    topo.stop(victim, sig=signal.SIGKILL)
    return victim, worker


def _psql(sql):
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(PG), "-U", "sinergi", "-d", "sinergi", "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return out.stdout.strip()


def _open_write_transactions():
    """Backends of the application database inside a transaction that has written something."""
    return int(
        _psql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = 'sinergi' "
            "AND state = 'idle in transaction' AND backend_xid IS NOT NULL"
        )
        or 0
    )


def _wait_finished(topo, job_id, timeout=180):
    return wait_for(
        f"job {job_id} finished",
        lambda: (s := job_state(topo, job_id))["status"] in ("succeeded", "failed") and s,
        timeout=timeout,
    )


BILLING_FACTS = (
    "import json, datetime as dt; from sinergi.coverage.models import BillingRun, Bill, Contribution; "
    "m = dt.date.fromisoformat('{month}'); "
    "print(json.dumps({{'runs': BillingRun.objects.filter(month=m).count(), "
    "'bills': Bill.objects.filter(month=m).count(), "
    "'contributions': Contribution.objects.filter(month=m).count(), "
    "'bill_parts': sum(Bill.objects.filter(month=m).values_list('participations', flat=True))}}))"
)


def test_2b_a_worker_killed_inside_a_billing_run_leaves_nothing_and_the_retry_bills_once(topo):
    topo.run("demo", timeout=900)
    month = topo.py(
        "import datetime as dt; from sinergi.core import clock; from sinergi.coverage.models import BillingRun; "
        "last = BillingRun.objects.order_by('-month').values_list('month', flat=True).first() or clock.today(); "
        "print((last.replace(day=28) + dt.timedelta(days=4)).replace(day=1).isoformat())"
    )
    job_id = int(
        topo.py(
            "import datetime as dt; from sinergi.accounts.models import User; from sinergi.coverage.tasks import billing_start; "
            f"print(billing_start(user=User.objects.get(username='admin.uji'), month=dt.date.fromisoformat('{month}'), "
            "idempotency_key='deploy-test-billing').pk)"
        )
    )
    # inside the billing transaction (the BillingRun row written, not committed): kill its worker
    wait_for(
        "billing inside its transaction",
        lambda: job_state(topo, job_id)["status"] == "running" and _open_write_transactions() > 0,
        timeout=120,
        every=0.2,
    )
    victim, first_worker = _kill_worker_of(topo, job_id)
    facts = wait_for(
        "rolled back",
        lambda: _open_write_transactions() == 0 and json.loads(topo.py(BILLING_FACTS.format(month=month))),
        timeout=30,
    )
    assert facts == {"runs": 0, "bills": 0, "contributions": 0, "bill_parts": 0}  # nothing half-written
    done = _wait_finished(topo, job_id)
    assert done["status"] == "succeeded", done
    assert done["attempts"] == 2 and done["worker"] != first_worker
    facts = json.loads(topo.py(BILLING_FACTS.format(month=month)))
    assert facts["runs"] == 1 and facts["bills"] > 0
    assert facts["contributions"] == facts["bill_parts"]  # every contribution on exactly one bill, once
    # the same start again (same idempotency key) is the same job, and billing nothing twice
    again = topo.py(
        "import datetime as dt; from sinergi.accounts.models import User; from sinergi.coverage.tasks import billing_start; "
        f"print(billing_start(user=User.objects.get(username='admin.uji'), month=dt.date.fromisoformat('{month}'), "
        "idempotency_key='deploy-test-billing').pk)"
    )
    assert int(again) == job_id
    assert json.loads(topo.py(BILLING_FACTS.format(month=month))) == facts
    topo.start_worker(victim)


def test_2c_a_worker_killed_inside_a_card_batch_leaves_the_batch_retried_once(topo):
    program = int(
        topo.py(
            "from django.db.models import Count; from sinergi.programs.models import Card; "
            "print(Card.objects.filter(status='active').values('program').annotate(n=Count('id'))"
            ".order_by('-n').first()['program'])"
        )
    )
    audits = (
        "from sinergi.core.models import AuditEntry; "
        f"print(AuditEntry.objects.filter(purpose='print worker cards', object_id='{program}').count())"
    )
    before = int(topo.py(audits))
    job_id = int(
        topo.py(
            "from sinergi.accounts.models import User; from sinergi.core.jobs import job_start; "
            "print(job_start(kind='programs.print_cards', user=User.objects.get(username='admin.uji'), "
            f"params={{'program': {program}, 'base_url': 'http://127.0.0.1:{WEB}', 'language': 'id'}}, "
            "title='deploy test cards', idempotency_key='deploy-test-cards').pk)"
        )
    )
    # the batch has counted its cards (a committed progress message) and is rendering: kill its worker
    wait_for(
        "card batch rendering",
        lambda: (
            _psql(
                f"SELECT (status = 'running' AND jsonb_array_length(messages) > 0)::int FROM core_job WHERE id = {job_id}"
            )
            == "1"
        ),
        timeout=120,
        every=0.2,
    )
    victim, first_worker = _kill_worker_of(topo, job_id)
    done = _wait_finished(topo, job_id)
    assert done["status"] == "succeeded", done
    assert done["attempts"] == 2 and done["worker"] != first_worker
    result = json.loads(
        topo.py(
            "import json; from sinergi.core.models import Job; "
            f"j = Job.objects.get(pk={job_id}); "
            "print(json.dumps({'file': j.result_file.name, 'head': j.result_file.open('rb').read(5).decode(), "
            "'cards': j.result['cards'], 'done': j.done, 'total': j.total}))"
        )
    )
    assert result["head"] == "%PDF-" and result["cards"] > 0 and result["done"] == result["total"]
    assert int(topo.py(audits)) == before + 1  # printed (and audited) once
    topo.start_worker(victim)


IMPORT_ROWS = 2000
# 7 July 1977, Kota Tangerang (36.71.01): people the demo does not have
IMPORTED_NIKS = "SELECT count(*) FROM registry_person WHERE nik LIKE '367101070777%'"


def test_2d_a_worker_killed_inside_an_import_commit_leaves_nothing_and_the_retry_writes_once(topo):
    import datetime as dt

    from tests.factories import make_nik

    path = topo.home / "anggota.csv"
    rows = [
        f"{make_nik(district='367101', birth=dt.date(1977, 7, 7), serial=i)},Pekerja Uji {i}"
        for i in range(1, IMPORT_ROWS + 1)
    ]
    path.write_text("NIK,Nama\n" + "\n".join(rows) + "\n", encoding="utf-8")
    os.chmod(path, 0o644)  # noqa: S103 (test data)
    before = int(_psql(IMPORTED_NIKS))
    start = (
        "from django.core.files import File; from sinergi.accounts.models import User; "
        "from sinergi.registry.services import registry_import_start; "
        f"fh = open('{path}', 'rb'); "
        "print(registry_import_start(actor=User.objects.get(username='admin.uji'), "
        "upload=File(fh, name='anggota.csv'), filename='anggota.csv', mode='commit', "
        "idempotency_key='deploy-test-import').pk)"
    )
    job_id = int(topo.py(start))
    # inside the import's transaction (rows staged, people not yet committed): kill its worker
    wait_for(
        "import inside its transaction",
        lambda: job_state(topo, job_id)["status"] == "running" and _open_write_transactions() > 0,
        timeout=180,
        every=0.2,
    )
    victim, first_worker = _kill_worker_of(topo, job_id)
    wait_for("rolled back", lambda: _open_write_transactions() == 0, timeout=30)
    assert int(_psql(IMPORTED_NIKS)) == before  # nothing half-written
    done = _wait_finished(topo, job_id, timeout=300)
    assert done["status"] == "succeeded", done
    assert done["attempts"] == 2 and done["worker"] != first_worker
    assert int(_psql(IMPORTED_NIKS)) == before + IMPORT_ROWS  # every row written, once
    assert int(topo.py(start)) == job_id  # the same start (same idempotency key) is the same job
    assert int(_psql(IMPORTED_NIKS)) == before + IMPORT_ROWS
    topo.start_worker(victim)


def test_3_the_primary_restarts_and_service_resumes(topo):
    sh(f"pg_ctlcluster 15 {PRIMARY_CLUSTER} restart", timeout=120)
    wait_for("web after restart", lambda: topo.get("/healthz")[0] == 200, timeout=60)
    job_id = int(
        topo.py(
            "from sinergi.core.jobs import job_start; "
            "print(job_start(kind='ops.probe', title='after restart', params={'rows': 2}).pk)"
        )
    )
    done = wait_for(
        "job after restart", lambda: (s := job_state(topo, job_id))["status"] == "succeeded" and s, timeout=90
    )
    assert done["rows"] == 2


def test_4_backup_wipe_restore(topo):
    media = topo.home / "media" / "claims"
    media.mkdir(parents=True, exist_ok=True)
    (media / "bukti.pdf").write_bytes(b"%PDF-1.4 deployment test")
    # Taken live, while web and workers write (heartbeats, leases): the manifest describes the
    # pg_dump snapshot exactly, and that is what the restored database must equal.
    out = topo.run("backup", "--output", str(topo.home / "backups")).stdout
    archive = next(
        line.strip() for line in out.splitlines() if line.strip().startswith(str(topo.home / "backups"))
    )
    before = topo.py(
        "import json; from sinergi.ops.backup import archive_verify; "
        f"print(json.dumps(archive_verify('{archive}')['tables']))"
    )
    assert json.loads(before)["core_job"]["rows"] >= 4
    topo.stop_all()
    # wipe: a new empty database and no media
    sh(f"su postgres -c \"psql -p {PG} -c 'DROP DATABASE sinergi WITH (FORCE)'\"")
    sh(f"su postgres -c \"psql -p {PG} -c 'CREATE DATABASE sinergi OWNER sinergi'\"")
    shutil.rmtree(topo.home / "media")
    restored = topo.run("restore", archive).stdout
    assert "all checked" in restored
    after = topo.py(
        "import json; from sinergi.ops.backup import current_fingerprints; print(json.dumps(current_fingerprints()))"
    )
    assert json.loads(after) == json.loads(before)
    assert (media / "bukti.pdf").read_bytes() == b"%PDF-1.4 deployment test"
    topo.start_web()
    login(topo)
