"""Worker profile section (contract 1): the person's claims, scoped and masked for the viewer."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from sinergi.claims.models import Claim, ClaimCase, ClaimDocument, ClaimEvent, Payment, ScholarshipYear
from sinergi.claims.selectors import claim_list, is_overdue, sees_personal
from sinergi.core.subject import rows


def sections(request, person) -> list[dict]:
    claims = list(claim_list(user=request.user, filters={"person": person.pk})[:50])
    if not claims:
        return []
    for claim in claims:
        claim.overdue = is_overdue(claim)
    html = render_to_string(
        "claims/profile_section.html",
        {"claims": claims, "sees_personal": sees_personal(request.user)},
        request=request,
    )
    return [{"title": _("Benefit claims"), "html": html}]


def subject_data(person) -> dict:
    """Claims' part of a person's data-subject export (core.subject): cases, claims, events, document
    list (file names, not the files), payments."""
    claims = Claim.objects.filter(case__person=person).order_by("pk")
    return {
        "cases": rows(ClaimCase.objects.filter(person=person).order_by("pk")),
        "claims": rows(claims),
        "claim_events": rows(ClaimEvent.objects.filter(claim__in=claims).order_by("pk")),
        "claim_documents": rows(ClaimDocument.objects.filter(claim__in=claims).order_by("pk")),
        "scholarship_years": rows(ScholarshipYear.objects.filter(claim__in=claims).order_by("pk")),
        "payments": rows(Payment.objects.filter(claim__in=claims).order_by("pk")),
    }
