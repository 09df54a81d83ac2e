"""When two person records are merged (registry's person_merge), coverage moves its own rows to the kept one."""

from sinergi.core.repoint import repoint
from sinergi.coverage.models import Candidate, Participation


def person_merge(*, keep, drop) -> dict[str, int]:
    return repoint([(Participation, "person"), (Candidate, "person")], keep=keep, drop=drop)
