"""Rate limits live in the shared cache and are keyed by the real client address (issue 12 item 6):
two processes share one limit (database cache, and Redis when available), a proxy's clients do not
share one bucket, and a client cannot pick its own bucket with a forged X-Forwarded-For."""

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time

import pytest
from django.test import RequestFactory, override_settings

from sinergi.core.ratelimit import client_ip, rate_limited

pytestmark = pytest.mark.django_db

WORKER = textwrap.dedent(
    """
    import os, sys, time
    os.environ["DJANGO_SETTINGS_MODULE"] = "sinergi.config.settings"
    import django
    django.setup()
    from django.core.management import call_command
    if sys.argv[1] == "setup":
        call_command("createcachetable", verbosity=0)
        sys.exit(0)
    from django.test import RequestFactory
    from sinergi.core.ratelimit import rate_limited
    start_at = float(sys.argv[2])
    while time.time() < start_at:
        time.sleep(0.005)
    request = lambda: RequestFactory().get("/programs/v/x/", REMOTE_ADDR="198.51.100.7")
    allowed = sum(not rate_limited(request(), group="two-processes", rate="15/10m") for _ in range(int(sys.argv[1])))
    print(allowed)
    """
)


def _run_two_processes(tmp_path, extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SINERGI_", "DATABASE_URL", "PYTEST"))}
    env.update(SINERGI_HOME=str(tmp_path), **extra_env)
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    subprocess.run([sys.executable, str(script), "setup"], env=env, check=True, timeout=120)
    start_at = f"{time.time() + 4:.3f}"
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), "12", start_at], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    allowed = [int(p.communicate(timeout=120)[0].strip()) for p in procs]
    return allowed


def test_two_processes_share_one_limit_in_the_database_cache(tmp_path):
    allowed = _run_two_processes(tmp_path, {})
    # 24 lookups from one address against a limit of 15: exactly 15 get through in total, not 15 each.
    assert sum(allowed) == 15, allowed


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_two_processes_share_one_limit_in_redis(tmp_path):
    port = _free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        allowed = _run_two_processes(tmp_path, {"SINERGI_REDIS_URL": f"redis://127.0.0.1:{port}/0"})
        assert sum(allowed) == 15, allowed
    finally:
        redis.terminate()
        redis.wait(timeout=10)


def test_the_client_address_behind_a_trusted_proxy_is_the_forwarded_one():
    rf = RequestFactory()
    behind = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.2")
    with override_settings(SINERGI_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"]):
        assert client_ip(behind) == "203.0.113.5"  # the nearest address no trusted proxy owns
        direct = rf.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
        assert client_ip(direct) == "198.51.100.1"  # a forged header from an untrusted peer is ignored
        garbage = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
        assert client_ip(garbage) == "127.0.0.1"


@override_settings(SINERGI_RATE_PUBLIC="3/10m")
def test_card_verification_is_limited_per_client_not_per_proxy(client):
    def verify(address):
        return client.get("/programs/v/not-a-token/", HTTP_X_FORWARDED_FOR=address, REMOTE_ADDR="127.0.0.1")

    assert [verify("203.0.113.1").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "verify-limited" in verify("203.0.113.1").content.decode()
    assert verify("203.0.113.2").status_code == 200  # another person behind the same proxy
    api = client.get(
        "/api/v1/programs/cards/verify?token=x", HTTP_X_FORWARDED_FOR="203.0.113.1", REMOTE_ADDR="127.0.0.1"
    )
    assert api.status_code == 429 and api.json()["code"] == "rate_limited"  # page and API share the bucket


@override_settings(SINERGI_RATE_PUBLIC="2/10m")
def test_aspiration_tracking_is_limited_and_a_forged_header_does_not_escape(client):
    def track(forged):
        return client.get(
            "/aspirations/track/?code=ASP-NOPE", HTTP_X_FORWARDED_FOR=forged, REMOTE_ADDR="198.51.100.9"
        )

    statuses = [track(f"192.0.2.{i}").status_code for i in range(3)]
    assert statuses[-1] == 429  # a new forged address per request does not give a new bucket
    api = client.get("/api/v1/aspirations/track/ASP-NOPE", REMOTE_ADDR="198.51.100.9")
    assert api.status_code == 429 and api.json()["code"] == "rate_limited"


def test_rate_limited_counts_in_the_shared_cache():
    rf = RequestFactory()
    request = rf.get("/", REMOTE_ADDR="198.51.100.20")
    assert [rate_limited(request, group="unit", rate="2/10m") for _ in range(3)] == [False, False, True]


@override_settings(SINERGI_RATE_LOGIN="3/10m")
def test_login_attempts_are_limited_per_client_address(client, agency_officer):
    def attempt(address):
        return client.post(
            "/accounts/login/",
            {"username": f"nobody-{address}", "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR=address,
            REMOTE_ADDR="127.0.0.1",
        )

    # Different usernames from one address: the per-username lockout alone would never trigger.
    assert [attempt("203.0.113.50").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert attempt("203.0.113.51").status_code == 200
