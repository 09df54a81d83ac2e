"""The unions' part of a person's data-subject export (core.subject): memberships and positions."""

from sinergi.core.subject import rows
from sinergi.unions.models import Membership, UnionOfficial


def subject_data(person) -> dict:
    return {
        "memberships": rows(Membership.objects.filter(person=person).order_by("pk")),
        "union_positions": rows(UnionOfficial.objects.filter(person=person).order_by("pk")),
    }
