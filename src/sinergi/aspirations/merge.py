"""When two person records are merged (registry's person_merge), aspirations moves its own rows to the kept one."""

from sinergi.aspirations.models import Aspiration
from sinergi.core.repoint import repoint


def person_merge(*, keep, drop) -> dict[str, int]:
    return repoint([(Aspiration, "member")], keep=keep, drop=drop)
