"""A decided or paid claim for a death records the death everywhere (same transaction)."""

from django.dispatch import receiver

from sinergi.claims.signals import death_confirmed
from sinergi.lifeevents.services import death_record


@receiver(death_confirmed, dispatch_uid="lifeevents_death_from_claim")
def death_from_claim(sender, claim, actor, **kwargs):
    case = claim.case
    # The branch already decided the claim (its own scope and maker-checker); no second check here.
    person = case.person
    # the registry's date of death when already known (a JKK death may follow the accident's date)
    day = person.death_date if person.is_deceased and person.death_date else case.event_date
    death_record(actor=actor, person=person, death_date=day, claim=claim, check=False)
