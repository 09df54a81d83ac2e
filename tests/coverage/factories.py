"""Factories for coverage tests."""

import datetime as dt
from decimal import Decimal

import factory

from sinergi.coverage.models import Participation, WageReport
from tests.factories import PersonFactory


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    person = factory.SubFactory(PersonFactory)
    segment = "BPU"
    payer_kind = "self"
    region_id = factory.LazyAttribute(lambda o: o.person.domicile_region_id)
    start_date = dt.date(2023, 1, 1)
    status = Participation.Status.ACTIVE
    participant_number = factory.Sequence(lambda n: f"23{n:09d}")
    wage = Decimal(1000000)

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            WageReport.objects.create(participation=obj, amount=obj.wage, valid_from=obj.start_date)
