"""Worker profile section (contract 1): the person's claims, scoped and masked for the viewer."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from sinergi.claims.selectors import claim_list, is_overdue, sees_personal


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
