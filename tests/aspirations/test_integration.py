"""Contracts with the rest of Sinergi: worker profile section, home cards, navigation, meeting origin."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from sinergi.aspirations import profile
from sinergi.aspirations.models import Aspiration
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_profile_section_respects_scope_and_hidden_members(world, file_one):
    person = PersonFactory(name="Pekerja Profil")
    MembershipFactory(person=person, body=world.body)
    open_case = file_one(member=person, title="Kasus terbuka untuk anggota")
    hidden = file_one(member=person, hide_member=True, title="Kasus rahasia")
    union_sections = profile.sections(_request(world.official), person)
    assert len(union_sections) == 1 and union_sections[0]["title"]
    html = union_sections[0]["html"]
    assert open_case.tracking_code in html and hidden.tracking_code in html
    officer_html = profile.sections(_request(world.officer), person)[0]["html"]
    assert open_case.tracking_code in officer_html and hidden.tracking_code not in officer_html
    assert profile.sections(_request(world.other_official), person) == []


def test_home_cards_count_open_and_overdue(world, file_one):
    from sinergi.aspirations import home

    file_one(received_on=timezone.localdate() - dt.timedelta(days=60))
    file_one(received_on=timezone.localdate())
    cards = {str(c["label"]): c["value"] for c in home.cards(_request(world.officer))}
    values = sorted(cards.values())
    assert 2 in values and 1 in values  # two open, one of them overdue
    assert home.cards(_request(world.sponsor))[0]["value"] == 0


def test_an_officer_records_an_aspiration_raised_at_a_meeting(world, file_one):
    from sinergi.meetings import services as meetings

    meeting = meetings.meeting_create(
        actor=world.officer,
        kind="ngopi_bareng",
        title="Ngopi Bareng uji",
        starts_at=timezone.now(),
        place="Aula",
        invited_organisations=[world.union_org],
    )
    a = file_one(actor=world.officer, source_meeting=meeting, title="Kendala yang disampaikan di pertemuan")
    assert a.channel == Aspiration.Channel.MEETING and a.source_meeting == meeting
    assert list(meeting.aspirations.all()) == [a]
