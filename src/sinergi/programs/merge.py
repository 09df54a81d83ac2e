"""When two person records are merged (registry's person_merge), programs moves its own rows to the kept one."""

from sinergi.core.repoint import repoint
from sinergi.programs.models import Application, Card, CoopMember, Enrolment, Handover


def person_merge(*, keep, drop) -> dict[str, int]:
    return repoint(
        [
            (Application, "person"),
            (Card, "person"),
            (Handover, "person"),
            (Enrolment, "person"),
            (CoopMember, "person"),
        ],
        keep=keep,
        drop=drop,
    )
