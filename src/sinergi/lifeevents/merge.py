"""When two person records are merged (registry's person_merge), lifeevents moves its own rows to the kept one."""

from sinergi.core.repoint import repoint
from sinergi.lifeevents.models import LifeEvent


def person_merge(*, keep, drop) -> dict[str, int]:
    return repoint([(LifeEvent, "person")], keep=keep, drop=drop)
