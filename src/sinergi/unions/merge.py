"""When two person records are merged (registry's person_merge), unions moves its own rows: officials
and memberships. A membership the kept record already holds (same body or company) is ended on the
dropped side first, so "one active membership per body/company" holds; then member counts are redone."""

from django.db.models import Q

from sinergi.core import clock
from sinergi.core.repoint import repoint
from sinergi.unions.models import Membership, UnionOfficial
from sinergi.unions.services import member_counts_recompute


def person_merge(*, keep, drop) -> dict[str, int]:
    moved: dict[str, int] = {}
    active = Membership.objects.filter(status=Membership.Status.ACTIVE)
    keep_bodies = set(active.filter(person=keep).values_list("body_id", flat=True))
    keep_employers = set(
        active.filter(person=keep, employer__isnull=False).values_list("employer_id", flat=True)
    )
    clash = active.filter(person=drop).filter(Q(body_id__in=keep_bodies) | Q(employer_id__in=keep_employers))
    ended = clash.update(status=Membership.Status.LEFT, left_on=clock.today())
    if ended:
        moved["unions.membership (ended, already on the kept record)"] = ended
    moved.update(repoint([(UnionOfficial, "person"), (Membership, "person")], keep=keep, drop=drop))
    member_counts_recompute()
    return moved
