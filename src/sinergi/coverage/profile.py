"""Worker profile section (contract 1): the person's participations, recent contributions and
payments, and status, scoped and masked for the viewer (wages only for roles that may see them)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from sinergi.accounts.roles import can
from sinergi.core import clock
from sinergi.core.privacy import wages_revealed
from sinergi.core.subject import rows
from sinergi.coverage import selectors
from sinergi.coverage.models import Candidate, Contribution, Participation, WageReport


def sections(request, person) -> list[dict]:
    user = request.user
    parts = list(selectors.participation_list(user=user, filters={"person": person.pk})[:20])
    facts = selectors.coverage_facts(person=person, on=clock.today())
    union_only = user.role == "union_official"
    bills = selectors.bill_list(user=user)
    contributions = []
    if parts and not union_only:
        contributions = list(
            Contribution.objects.filter(participation__in=[p.pk for p in parts], bill__in=bills)
            .select_related("bill")
            .order_by("-month")[:12]
        )
    html = render_to_string(
        "coverage/profile_section.html",
        {
            "parts": parts,
            "facts": facts,
            "contributions": contributions,
            "sees_wages": can(user, "see_wages"),
            # the person page's reveal (one audit entry for the page, see core.privacy.wages_revealed)
            "wages_revealed": wages_revealed(request, person),
            "union_only": union_only,
        },
        request=request,
    )
    return [{"title": _("Social security coverage"), "html": html}]


def subject_data(person) -> dict:
    """Coverage's part of a person's data-subject export (core.subject)."""
    participations = Participation.objects.filter(person=person).order_by("pk")
    return {
        "participations": rows(participations),
        "wage_reports": rows(WageReport.objects.filter(participation__in=participations).order_by("pk")),
        "contributions": rows(Contribution.objects.filter(participation__in=participations).order_by("pk")),
        "sponsored_candidacies": rows(Candidate.objects.filter(person=person).order_by("pk")),
    }
