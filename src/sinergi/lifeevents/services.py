"""Life events carried through Sinergi. Each service runs in one transaction, is audited (the event
row, plus every change it causes, through the owning app's services) and is idempotent: recording
the same event again changes nothing and returns the first record.

- death_record: the person is marked deceased; participations end on the date of death (no bill for
  a later month; arrears before it stay due); union memberships end and member counts are recomputed;
  worker cards are revoked; cooperative shares are settled to the heirs (recorded); pending aid
  applications are closed.
- employer_change_record: the old employment and the old employer's participation end the day
  before; a new employment and participation (same participant number) start; the membership of the
  old company's union ends (counts recomputed).
- dismissal_record (PHK): the employment and that employer's participation end; the company union
  membership ends. The worker may now claim JKP and JHT (claims are opened in the claims app).
- retirement_record: every employment and employer-paid participation ends; company union
  memberships end; the worker card is revoked (no longer a worker). JHT/JP are claimed in claims.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.permissions import require
from sinergi.claims.selectors import person_served
from sinergi.claims.services import _family, _relatives
from sinergi.core import clock
from sinergi.core.audit import audit_create
from sinergi.core.errors import Conflict, NotAllowed, SinergiError
from sinergi.coverage.services import participation_transfer, participations_end_for_person
from sinergi.lifeevents.models import LifeEvent
from sinergi.programs.services import person_cards_revoke, person_coop_settle, person_pending_aid_cancel
from sinergi.registry.models import Employer, Employment
from sinergi.registry.services import employments_end, person_death_mark
from sinergi.rules.heirs import propose_heirs
from sinergi.unions.services import memberships_end

if TYPE_CHECKING:
    from sinergi.accounts.models import User


def _check(actor: User, person, on: dt.date):
    require(actor, "record_life_events")
    if not person_served(user=actor, person=person):
        raise NotAllowed(_("This person neither lives nor works in your area."))
    if on is None:
        raise SinergiError(_("Enter the date."), field="event_date")
    if on > clock.today():
        raise SinergiError(_("The date cannot be in the future."), code="future_date", field="event_date")
    if person.merged_into_id:
        raise Conflict(_("This record was merged into another person; record the event there."))


def _save(event: LifeEvent) -> LifeEvent:
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        raise Conflict(_("This event is already recorded."), code="already_recorded") from None
    return event


def _heirs_label(person) -> str:
    try:
        family = _family(person)
        proposal = propose_heirs(_relatives(family))
        names = {str(f.pk): f.name for f in family}
        return ", ".join(names.get(h.key, "") for h in proposal.heirs) or str(_("the heirs"))
    except Exception:  # noqa: BLE001 - the label is informative only
        return str(_("the heirs"))


def _death_carry_through(actor: User, person, death_date: dt.date, reason: str) -> dict:
    """End what a death ends in every app; the outcome of each step, stored on the life event."""
    return {
        "participations": participations_end_for_person(
            actor=actor, person=person, end_date=death_date, reason=reason
        ),
        "employments_ended": employments_end(actor=actor, person=person, end_date=death_date),
        "memberships_ended_at": memberships_end(
            actor=actor, person=person, left_on=death_date, reason=reason
        ),
        "cards_revoked": person_cards_revoke(actor=actor, person=person, reason=reason),
        "coop_settled": person_coop_settle(
            actor=actor,
            person=person,
            on=max(death_date, clock.today()),
            reason=reason,
            payee=_heirs_label(person),
        ),
        "aid_cancelled": person_pending_aid_cancel(actor=actor, person=person, reason=reason),
    }


@transaction.atomic
def death_record(
    *, actor: User, person, death_date: dt.date, certificate_number: str = "", claim=None, check: bool = True
) -> LifeEvent:
    """Record a death and carry it through every app (see the module docstring). Idempotent."""
    existing = LifeEvent.objects.filter(person=person, kind=LifeEvent.Kind.DEATH).first()
    if existing is not None:
        if existing.event_date != death_date:
            raise Conflict(
                _("%(name)s is already recorded as deceased on %(day)s.")
                % {"name": person.name, "day": existing.event_date.strftime("%d-%m-%Y")},
                code="already_deceased",
                field="death_date",
            )
        if certificate_number and not existing.certificate_number:
            existing.certificate_number = certificate_number.strip()[:60]
            existing.save(update_fields=["certificate_number"])
        return existing
    if check:
        _check(actor, person, death_date)
    if claim is None and not (certificate_number or "").strip():
        raise SinergiError(
            _("Enter the death certificate number (akta kematian)."), field="certificate_number"
        )
    reason = str(_("deceased on %(day)s")) % {"day": death_date.strftime("%d-%m-%Y")}
    person_death_mark(actor=actor, person=person, death_date=death_date)
    outcome = _death_carry_through(actor, person, death_date, reason)
    event = _save(
        LifeEvent(
            person=person,
            kind=LifeEvent.Kind.DEATH,
            event_date=death_date,
            certificate_number=(certificate_number or "").strip()[:60],
            source=LifeEvent.Source.CLAIM if claim is not None else LifeEvent.Source.DIRECT,
            claim=claim,
            outcome=outcome,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
    )
    audit_create(actor=actor, obj=event, purpose="death recorded")
    return event


def _employment_of(person, employer):
    return Employment.objects.filter(person=person, employer=employer, end_date__isnull=True).first()


def _not_deceased(person):
    if person.is_deceased:
        raise Conflict(_("%(name)s is recorded as deceased.") % {"name": person.name}, code="deceased")


@transaction.atomic
def dismissal_record(*, actor: User, person, employer, on: dt.date) -> LifeEvent:
    """PHK: the employment with `employer` ends on `on`, and so do that employer's participation and
    the company union membership (counts recomputed). Idempotent."""
    existing = LifeEvent.objects.filter(
        person=person, kind=LifeEvent.Kind.DISMISSAL, employer=employer, event_date=on
    ).first()
    if existing:
        return existing
    _check(actor, person, on)
    _not_deceased(person)
    if (
        _employment_of(person, employer) is None
        and not person.participations.filter(
            employer=employer, status__in=("active", "arrears", "lapsed", "pending")
        ).exists()
    ):
        raise Conflict(_("%(name)s does not work for this employer.") % {"name": person.name})
    reason = str(_("dismissed (PHK) on %(day)s")) % {"day": on.strftime("%d-%m-%Y")}
    outcome = {
        "employments_ended": employments_end(actor=actor, person=person, end_date=on, employer=employer),
        "participations": participations_end_for_person(
            actor=actor, person=person, end_date=on, employer=employer, reason=reason
        ),
        "memberships_ended_at": memberships_end(
            actor=actor, person=person, left_on=on, employer=employer, reason=reason
        ),
    }
    event = _save(
        LifeEvent(
            person=person,
            kind=LifeEvent.Kind.DISMISSAL,
            event_date=on,
            employer=employer,
            outcome=outcome,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
    )
    audit_create(actor=actor, obj=event, purpose="dismissal (PHK)")
    return event


@transaction.atomic
def retirement_record(*, actor: User, person, on: dt.date) -> LifeEvent:
    """Retirement: every employment and employer-paid participation ends on `on`, company union
    memberships end (counts recomputed) and worker cards are revoked. Idempotent."""
    existing = LifeEvent.objects.filter(person=person, kind=LifeEvent.Kind.RETIREMENT).first()
    if existing:
        return existing
    _check(actor, person, on)
    _not_deceased(person)
    reason = str(_("retired on %(day)s")) % {"day": on.strftime("%d-%m-%Y")}
    employers = set(
        Employment.objects.filter(person=person, end_date__isnull=True).values_list("employer_id", flat=True)
    ) | set(
        person.participations.filter(
            payer_kind="employer", status__in=("active", "arrears", "lapsed", "pending")
        ).values_list("employer_id", flat=True)
    )
    ended, memberships = [], []
    for employer_id in sorted(e for e in employers if e):
        employer = Employer.objects.get(pk=employer_id)
        ended.append(
            participations_end_for_person(
                actor=actor, person=person, end_date=on, employer=employer, reason=reason
            )
        )
        memberships += memberships_end(
            actor=actor, person=person, left_on=on, employer=employer, reason=reason
        )
    outcome = {
        "employments_ended": employments_end(actor=actor, person=person, end_date=on),
        "participations": ended,
        "memberships_ended_at": memberships,
        "cards_revoked": person_cards_revoke(actor=actor, person=person, reason=reason),
    }
    event = _save(
        LifeEvent(
            person=person,
            kind=LifeEvent.Kind.RETIREMENT,
            event_date=on,
            outcome=outcome,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
    )
    audit_create(actor=actor, obj=event, purpose="retirement")
    return event


@transaction.atomic
def employer_change_record(
    *, actor: User, person, old_employer, new_employer, on: dt.date, wage=None
) -> LifeEvent:
    """Change of employer on `on`: the old employment and participation end the day before, a new
    employment and participation (same participant number) start on `on`; the membership of the old
    company's union ends (counts recomputed). Idempotent."""
    existing = LifeEvent.objects.filter(
        person=person, kind=LifeEvent.Kind.EMPLOYER_CHANGE, employer=old_employer, event_date=on
    ).first()
    if existing:
        return existing
    _check(actor, person, on)
    _not_deceased(person)
    if old_employer.pk == new_employer.pk:
        raise SinergiError(_("The new employer is the same as the old one."), field="new_employer")
    day_before = on - dt.timedelta(days=1)
    reason = str(_("changed employer on %(day)s")) % {"day": on.strftime("%d-%m-%Y")}
    old_job = _employment_of(person, old_employer)
    ended = employments_end(actor=actor, person=person, end_date=day_before, employer=old_employer)
    job = Employment.objects.create(
        person=person,
        employer=new_employer,
        start_date=on,
        wage=wage if wage is not None else getattr(old_job, "wage", None),
    )
    audit_create(actor=actor, obj=job, purpose=reason)
    new_part = participation_transfer(
        actor=actor, person=person, old_employer=old_employer, new_employer=new_employer, on=on, wage=wage
    )
    memberships = memberships_end(
        actor=actor, person=person, left_on=day_before, employer=old_employer, reason=reason
    )
    event = _save(
        LifeEvent(
            person=person,
            kind=LifeEvent.Kind.EMPLOYER_CHANGE,
            event_date=on,
            employer=old_employer,
            new_employer=new_employer,
            outcome={
                "employments_ended": ended,
                "new_participation": getattr(new_part, "pk", None),
                "memberships_ended_at": memberships,
            },
            recorded_by=actor,
            recorded_at=clock.now(),
        )
    )
    audit_create(actor=actor, obj=event, purpose="change of employer")
    return event


def life_event_list(*, user, person):
    """A person's life events (the caller already holds the person from a scoped selector)."""
    return LifeEvent.objects.filter(person=person).select_related("employer", "new_employer", "recorded_by")
