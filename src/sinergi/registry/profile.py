"""The registry's part of a person's data-subject export (core.subject): identity, family, work."""

from sinergi.core.subject import rows
from sinergi.registry.models import Employment, FamilyMember, Person


def subject_data(person) -> dict:
    return {
        "person": rows(Person.objects.filter(pk=person.pk), exclude=("name_key",)),
        "family": rows(FamilyMember.objects.filter(person=person).order_by("pk")),
        "listed_as_family_of": rows(FamilyMember.objects.filter(relative=person).order_by("pk")),
        "employment": rows(Employment.objects.filter(person=person).order_by("pk")),
        "merged_records": rows(
            Person.objects.filter(merged_into=person).order_by("pk"), exclude=("name_key",)
        ),
    }
