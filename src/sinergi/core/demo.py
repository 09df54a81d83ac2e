"""What every app's demo loader shares: the context passed along, the demo password, planner statistics.

The loader itself (organisations, union roots, logins, then each app's `demo.load(ctx)`) is
`sinergi.demo`, above every app; the apps' `demo.py` modules receive a `DemoContext`.
"""

import random
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection


@dataclass
class DemoContext:
    orgs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    union_bodies: dict = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(2020))
    say: object = print
    password: str = ""


def demo_password() -> str:
    path = settings.SINERGI_HOME / "demo_password"
    if not path.exists():
        path.write_text("Sinergi-" + secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


def refresh_planner_statistics():
    """After thousands of rows arrive at once, PostgreSQL's planner still believes the tables are
    empty until autovacuum gets round to them, and picks nested loops that take minutes. ANALYZE
    (allowed inside a transaction, and counting the rows this transaction inserted) fixes the plans."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
