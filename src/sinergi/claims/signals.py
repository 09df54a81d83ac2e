"""Signals other apps listen to. `death_confirmed`: a claim for a death was approved or paid; the
life-event service (sinergi.lifeevents) then records the death everywhere, in the same transaction.
Sent with `claim` and `actor`."""

from django.dispatch import Signal

death_confirmed = Signal()
