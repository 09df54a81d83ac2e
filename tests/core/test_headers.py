"""Security headers and serving (issue 12 item 5): a strict CSP with no inline script anywhere,
Permissions-Policy, proxy headers believed only from trusted proxies, and a production `sinergi serve`
that collects its own static files and sends HSTS behind a TLS proxy."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.test import override_settings

from sinergi.core import charts

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "sinergi"


def _csp(response) -> dict:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def test_every_page_has_a_strict_csp_and_a_permissions_policy(client, agency_officer, password):
    client.force_login(agency_officer)
    response = client.get("/")
    policy = _csp(response)
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no nonce needed
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    # The API and the login page too.
    assert "script-src 'self'" in client.get("/api/v1/accounts/me")["Content-Security-Policy"]
    client.logout()
    assert "Permissions-Policy" in client.get("/accounts/login/")


def test_no_template_carries_inline_script_or_event_handlers():
    offenders = []
    for path in SRC.rglob("templates/**/*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            offenders.append(f"{path.relative_to(SRC)}: {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.relative_to(SRC)}: inline handler {match.group(0).strip()}")
        if "javascript:" in text:
            offenders.append(f"{path.relative_to(SRC)}: javascript: URL")
    assert not offenders


def test_charts_are_json_data_with_no_executable_inline_script():
    html = str(charts.bar(["A </script><script>alert(1)</script>", "B"], [1, 2], title="Gap & more"))
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 1
    attrs, body = scripts[0]
    assert 'type="application/json"' in attrs
    assert "</script" not in body.lower() and "<" not in body  # nothing can break out of the data block
    assert 'data-plotly-figure="' in html


def test_forwarded_proto_counts_only_from_a_trusted_proxy(client):
    with override_settings(
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_HSTS_SECONDS=3600
    ):
        trusted = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="127.0.0.1")
        assert trusted["Strict-Transport-Security"].startswith("max-age=3600")
        spoofed = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="203.0.113.9")
        assert "Strict-Transport-Security" not in spoofed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=False)
def test_production_serve_collects_static_and_sends_hsts_behind_a_proxy(tmp_path):
    """Under waitress, production mode, no prior collectstatic: pages answer 200 with HSTS, CSP and
    Permissions-Policy when the local TLS proxy sends X-Forwarded-Proto: https."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SINERGI_", "DATABASE_URL", "PYTEST"))}
    env.update(
        SINERGI_HOME=str(tmp_path),
        SINERGI_MODE="production",
        SINERGI_SECRET_KEY="x" * 60,
        SINERGI_ALLOWED_HOSTS="127.0.0.1",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "sinergi", "serve", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 420
        response = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/accounts/login/", headers={"X-Forwarded-Proto": "https"}
                )
                response = urllib.request.urlopen(request, timeout=10)  # noqa: S310 - our own server
                break
            except OSError:
                time.sleep(0.5)
        assert response is not None, server.stdout.read() if server.poll() is not None else "no answer"
        assert response.status == 200
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "camera=()" in response.headers["Permissions-Policy"]
        page = response.read().decode()
        css = re.search(r'href="(/static/core/sinergi\.[0-9a-f]+\.css)"', page)
        assert css, "the manifest (hashed) stylesheet is linked: static files were collected"
        assert (tmp_path / "static" / "staticfiles.json").exists()
    finally:
        server.terminate()
        server.wait(timeout=20)
