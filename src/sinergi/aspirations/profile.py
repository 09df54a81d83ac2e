"""Worker profile section: the aspirations that concern this person (contract 1), scoped and masked."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from sinergi.aspirations import selectors
from sinergi.aspirations.models import Aspiration
from sinergi.core.subject import rows


def sections(request, person):
    rows = [
        a
        for a in selectors.aspiration_list(user=request.user).filter(member=person)[:20]
        if selectors.member_visible(request.user, a)
    ]
    if not rows:
        return []
    html = render_to_string("aspirations/_profile.html", {"rows": rows}, request=request)
    return [{"title": _("Aspirations"), "html": html}]


def subject_data(person) -> dict:
    """Aspirations' part of a person's data-subject export (core.subject): those filed about them."""
    return {"aspirations": rows(Aspiration.objects.filter(member=person).order_by("pk"))}
