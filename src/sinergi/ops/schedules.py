"""Dated work of the platform itself, run by the scheduler: the retention clean-up (UU 27/2022)."""

from django.utils.translation import gettext_lazy as _

from sinergi.core import retention
from sinergi.core.schedules import schedule


def _retention(*, day):

    report = retention.purge(actor=None)
    return {
        "rules": len(report),
        "rows": sum(r["rows"] for r in report),
        "files": sum(r["files"] for r in report),
    }


schedule(
    "core.retention",
    _retention,
    every="daily",
    at="02:30",
    title=_("Delete rejected import rows and old documents past their retention period"),
)
