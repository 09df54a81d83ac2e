"""Demo: the deaths the other apps' stories already know (the registry has the date of death, the
claim is still open) are carried through like any recorded death, so no deceased person keeps an
active participation, membership, card or pending aid. Idempotent: a death already recorded is
left alone."""

from django.db import transaction

from sinergi.lifeevents.models import LifeEvent
from sinergi.lifeevents.services import death_record
from sinergi.registry.models import Person


def load(ctx):
    pending = Person.objects.filter(is_deceased=True, death_date__isnull=False).exclude(
        pk__in=LifeEvent.objects.filter(kind=LifeEvent.Kind.DEATH).values("person_id")
    )
    admin = ctx.users["admin"]
    n = 0
    with transaction.atomic():
        for person in pending.order_by("pk"):
            death_record(
                actor=admin,
                person=person,
                death_date=person.death_date,
                certificate_number=f"DEMO-AKTA-{person.pk}",
                check=False,
            )
            n += 1
    ctx.say(f"  lifeevents: {n} known deaths carried through (cover, memberships, cards, cooperative, aid)")
