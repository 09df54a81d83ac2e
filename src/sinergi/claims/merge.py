"""When two person records are merged (registry's person_merge), claims moves its own rows to the kept one."""

from sinergi.claims.models import ClaimCase
from sinergi.core.repoint import repoint


def person_merge(*, keep, drop) -> dict[str, int]:
    return repoint([(ClaimCase, "person")], keep=keep, drop=drop)
