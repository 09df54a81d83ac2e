"""Worker profile sections (contract 1): cards, aid received, trainings, cooperative savings."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from sinergi.core.subject import rows
from sinergi.programs import selectors
from sinergi.programs.models import Application, Card, CoopMember, Enrolment, Handover


def sections(request, person) -> list[dict]:
    user = request.user
    cards = list(selectors.card_list(user=user).filter(person=person).order_by("-issued_on"))
    handovers = list(selectors.handover_list(user=user).filter(person=person))
    enrolments = list(selectors.enrolment_list(user=user).filter(person=person))
    members = list(selectors.coop_member_list(user=user).filter(person=person))
    balances = selectors.savings_balances([m.pk for m in members])
    applications = list(
        selectors.application_list(user=user)
        .filter(person=person)
        .exclude(status="approved")
        .order_by("-created_at")
    )
    ctx = {
        "person": person,
        "cards": cards,
        "applications": applications,
        "handovers": handovers,
        "enrolments": enrolments,
        "members": [{"m": m, "b": balances.get(m.pk)} for m in members],
    }
    html = render_to_string("programs/profile_section.html", ctx, request=request)
    return [{"title": _("Welfare programs"), "html": html}]


def subject_data(person) -> dict:
    """Programs' part of a person's data-subject export (core.subject)."""
    return {
        "applications": rows(Application.objects.filter(person=person).order_by("pk")),
        "cards": rows(Card.objects.filter(person=person).order_by("pk")),
        "aid_handovers": rows(Handover.objects.filter(person=person).order_by("pk")),
        "trainings": rows(Enrolment.objects.filter(person=person).order_by("pk")),
        "cooperative": rows(CoopMember.objects.filter(person=person).order_by("pk")),
    }
