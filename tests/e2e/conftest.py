"""Browser scenarios: Playwright (pytest-playwright, sync API) on Debian's /usr/bin/chromium.

Every test in tests/e2e/ is marked `e2e`. Without chromium they are skipped with the reason printed,
unless SINERGI_REQUIRE_BROWSER=1 (CI), which turns a missing browser into a failure.

Fixtures for scenarios (see tests/e2e/README.md):
- `live_server` (pytest-django) — the app on a real port; `server_url(path_or_url_name, **kwargs)`.
- `logged_in_page(user_or_username)` — a Playwright page already logged in (session cookie, no form).
- `login_via_form(page, username, password)` — log in through the login page like a person.
- `demo_world` — the full demo (`sinergi.demo.demo_load`) in the test database; `demo_personas`
  only the foundation's organisations and logins (fast). Both return a DemoWorld(users, orgs, password).
- `job_worker` — the real job path: django-tasks database backend + the in-process worker thread
  (as `sinergi serve` runs it), so a job started from the UI runs in the background and the job page
  shows its progress moving until it finishes.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SINERGI_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_DIR = Path(__file__).resolve().parent
REQUIRE_BROWSER = os.environ.get("SINERGI_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() and os.access(CHROMIUM, os.X_OK) or bool(shutil.which(CHROMIUM))


def _use_file_sqlite_for_tests():
    """Background job threads and the live server need their own connections to the same database:
    with SQLite that means a test database file (WAL), not the shared-cache in-memory database, where a
    second writer fails at once with 'database table is locked'. Set while collecting, before any
    test database exists; pytest-django adds the xdist worker suffix to this name."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and not (db.get("TEST") or {}).get("NAME"):
        db.setdefault("TEST", {})["NAME"] = str(Path(settings.SINERGI_HOME) / "test-e2e.sqlite3")


_use_file_sqlite_for_tests()


def _is_e2e(item) -> bool:
    try:
        return Path(str(item.fspath)).resolve().is_relative_to(E2E_DIR)
    except (OSError, ValueError):
        return False


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(
        reason=f"browser scenarios need chromium at {CHROMIUM} (apt-get install -y chromium); "
        "set SINERGI_REQUIRE_BROWSER=1 to make this a failure"
    )
    for item in items:
        if not _is_e2e(item):
            continue
        item.add_marker(pytest.mark.e2e)
        if not chromium_available() and not REQUIRE_BROWSER:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not chromium_available():
        how = "FAILED (SINERGI_REQUIRE_BROWSER=1)" if REQUIRE_BROWSER else "skipped"
        terminalreporter.write_line(f"e2e: chromium not found at {CHROMIUM}; browser scenarios {how}.")


@pytest.fixture(autouse=True)
def _browser_required():
    if REQUIRE_BROWSER and not chromium_available():
        pytest.fail(f"SINERGI_REQUIRE_BROWSER=1 but chromium is missing at {CHROMIUM}", pytrace=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": LAUNCH_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Indonesian first, as officers' browsers are; scenarios switch to English through the UI.
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing demo passwords with the production hasher costs seconds per scenario."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def server_url(live_server):
    """server_url("/path") or server_url("app:name", pk=1) -> absolute URL on the live server."""
    from django.urls import reverse

    def build(target: str, **kwargs) -> str:
        path = target if target.startswith("/") else reverse(target, kwargs=kwargs or None)
        return live_server.url + path

    return build


def _session_cookie(user, live_server) -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}


@pytest.fixture
def logged_in_page(page, live_server):
    """logged_in_page(user or username, language="id") -> the `page`, logged in, on the home page."""
    from django.conf import settings

    from sinergi.accounts.models import User

    def login_as(user_or_username, *, language: str = "id", path: str = "/"):
        user = (
            user_or_username
            if isinstance(user_or_username, User)
            else User.objects.get(username=user_or_username)
        )
        cookies = [_session_cookie(user, live_server)]
        cookies.append({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url})
        page.context.add_cookies(cookies)
        page.goto(live_server.url + path)
        return page

    return login_as


@pytest.fixture
def login_via_form(live_server):
    def login(page, username: str, password: str):
        page.goto(live_server.url + "/accounts/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        page.wait_for_load_state()
        return page

    return login


@dataclass
class DemoWorld:
    users: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    union_bodies: dict = field(default_factory=dict)
    password: str = ""


def _load_demo(full: bool) -> DemoWorld:
    from sinergi import demo

    if full:
        demo.demo_load(stdout=lambda *_: None)
        ctx = demo.DemoContext(say=lambda *_: None, password=demo.demo_password())
        demo._foundation(ctx)  # idempotent: fetch the objects the loader made
    else:
        ctx = demo.DemoContext(say=lambda *_: None, password=demo.demo_password())
        demo._foundation(ctx)
    return DemoWorld(users=ctx.users, orgs=ctx.orgs, union_bodies=ctx.union_bodies, password=ctx.password)


@pytest.fixture
def demo_world(live_server) -> DemoWorld:
    """The whole demo (every app's demo.load) in the live server's database."""
    return _load_demo(full=True)


@pytest.fixture
def demo_personas(live_server) -> DemoWorld:
    """Only the foundation's organisations, union roots and one login per persona (quick)."""
    return _load_demo(full=False)


@pytest.fixture
def job_worker(settings, live_server):
    """Jobs go through the database backend and an in-process worker thread, as in `sinergi serve`."""
    from django.db import connections

    from sinergi.core.worker import start_worker_thread

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }
    thread = start_worker_thread(interval=0.1)
    yield thread
    thread.worker.running = False
    thread.join(timeout=10)
    connections.close_all()
