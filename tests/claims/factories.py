"""Factories and helpers for claims tests: a deceased participant with a family and active coverage."""

import datetime as dt

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.registry.models import FamilyMember
from tests.coverage.factories import ParticipationFactory
from tests.factories import PersonFactory

PDF = b"%PDF-1.4\n% test document\n"


class FamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyMember

    person = factory.SubFactory(PersonFactory)
    relation = FamilyMember.Relation.CHILD
    name = factory.Sequence(lambda n: f"Keluarga Uji {n}")
    birth_date = dt.date(2012, 7, 1)


def pdf(name="dokumen.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def we6_family(*, months=48, district="317205", death=dt.date(2024, 5, 1)):
    """WE-6: a BPU participant, four years of contributions, spouse and two children in school."""
    person = PersonFactory(district=district, is_deceased=True, death_date=death)
    ParticipationFactory(person=person, start_date=dt.date(2020, 1, 1), prior_contribution_months=months)
    spouse = FamilyMemberFactory(
        person=person, relation="spouse", name="Siti Pasangan", birth_date=dt.date(1985, 1, 1), sex="F"
    )
    a = FamilyMemberFactory(
        person=person, name="Anak A", birth_date=dt.date(2016, 2, 1), school_level="SD", school_grade=3
    )
    b = FamilyMemberFactory(
        person=person, name="Anak B", birth_date=dt.date(2012, 7, 1), school_level="SMP", school_grade=1
    )
    mother = FamilyMemberFactory(
        person=person, relation="parent", name="Ibu Kandung", birth_date=dt.date(1960, 1, 1)
    )
    return person, {"spouse": spouse, "a": a, "b": b, "mother": mother}
