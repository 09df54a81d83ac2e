"""Shared factories for organisations, users, people, employers and union bodies.

Domain apps keep their own factories in tests/<app>/factories.py and build on these.
"""

import datetime as dt
import itertools

import factory

from sinergi.accounts.models import Organisation, User
from sinergi.accounts.roles import OrgKind, Role
from sinergi.registry.models import Employer, Person
from sinergi.unions.models import Membership, UnionBody

TEST_PASSWORD = "Uji-Sandi-Panjang-2024"  # test-only fixture value, not a real credential

_serial = itertools.count(1)


def make_nik(district="317205", birth=dt.date(1990, 3, 12), sex="M", serial=None) -> str:
    """A valid NIK for `district` (6 digits), birth date and sex; serial unique per test run."""
    day = birth.day + (40 if sex == "F" else 0)
    # Automatic serials stay in 5000–9999; tests that fix a serial use 1–4999, so the two never meet.
    serial = 5000 + next(_serial) % 5000 if serial is None else serial
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial % 10000 or 1:04d}"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrgKind.AGENCY
    name = factory.Sequence(lambda n: f"Organisasi Uji {n}")
    region_id = "31"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.AGENCY_OFFICER
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UnionBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnionBody

    name = factory.Sequence(lambda n: f"Serikat Uji {n}")
    kind = UnionBody.Kind.UNION
    region_id = "31"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from sinergi.unions.services import union_body_create

        return union_body_create(actor=None, **kwargs)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"PT Uji Sejahtera {n}")
    region_id = "3172"
    jkk_risk_class = 2
    size = Employer.Size.MEDIUM


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    class Params:
        district = "317205"

    name = factory.Sequence(lambda n: f"Pekerja Uji {n}")
    name_key = factory.LazyAttribute(lambda o: o.name.lower())
    birth_date = dt.date(1990, 3, 12)
    sex = "M"
    nik = factory.LazyAttribute(lambda o: make_nik(o.district, o.birth_date, o.sex))
    domicile_region_id = factory.LazyAttribute(lambda o: o.district)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    body = factory.SubFactory(UnionBodyFactory)
    status = Membership.Status.ACTIVE
    verified = True
