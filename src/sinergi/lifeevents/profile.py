"""Worker profile section (contract 1): the person's life events and, for an officer who may record
them, the forms to record a death (with the death certificate), a PHK, a retirement or a change of
employer."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from sinergi.accounts.roles import can
from sinergi.accounts.scoping import user_scope
from sinergi.lifeevents.forms import DeathForm
from sinergi.lifeevents.services import life_event_list
from sinergi.registry.models import Employer


def sections(request, person) -> list[dict]:
    events = list(life_event_list(user=request.user, person=person))
    may_record = can(request.user, "record_life_events") and not user_scope(request.user).read_only
    if not events and not may_record:
        return []
    employers = []
    if may_record:
        ids = set(
            person.employments.filter(end_date__isnull=True).values_list("employer_id", flat=True)
        ) | set(
            person.participations.filter(
                payer_kind="employer", status__in=("active", "arrears", "lapsed", "pending")
            ).values_list("employer_id", flat=True)
        )
        employers = list(Employer.objects.filter(pk__in=[i for i in ids if i]).order_by("name"))
    html = render_to_string(
        "lifeevents/profile_section.html",
        {
            "person": person,
            "events": events,
            "may_record": may_record and not person.is_deceased,
            "death_form": DeathForm(),
            "employers": employers,
        },
        request=request,
    )
    return [{"title": _("Life events"), "html": html}]
