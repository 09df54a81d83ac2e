"""Aid distribution: a volunteer hands out packages and a second hand-over to the same worker is refused."""

import pytest
from playwright.sync_api import expect

from sinergi.core import clock

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_volunteer_hands_out_packages_and_a_second_hand_over_to_the_same_worker_is_refused(
    demo_personas, logged_in_page, server_url
):
    from sinergi.programs import services
    from sinergi.programs.models import Handover
    from tests.factories import PersonFactory

    dist = services.distribution_create(
        actor=demo_personas.users["bpjs.cilincing"],
        name="Paket sembako May Day 2024",
        region_id="3172",
        event_date=clock.today(),  # hand-overs are accepted only around the distribution's date
        place="GOR Rawa Badak, Koja",
        package="paket sembako",
        stock_received=580,
    )
    first, second = PersonFactory(name="Pekerja Pertama"), PersonFactory(name="Pekerja Kedua")

    page = logged_in_page("bpjs2.cilincing")
    page.goto(server_url("programs:distribution_detail", pk=dist.pk))
    for person in (first, second):
        page.locator("input[name=nik]").fill(person.nik)
        page.get_by_test_id("handover-submit").click()
        expect(page.locator(".msg-success")).to_contain_text(person.name)
    expect(page.get_by_test_id("rec-handed")).to_have_text("2")
    expect(page.get_by_test_id("rec-remaining")).to_have_text("578")

    # The same worker comes back: refused, naming when and where the first package was handed over.
    page.locator("input[name=nik]").fill(first.nik)
    page.locator("input[name=place]").fill("Pos 2")
    page.get_by_test_id("handover-submit").click()
    error = page.locator(".field-error")  # the refusal, next to the form
    expect(error).to_contain_text("GOR Rawa Badak, Koja")
    expect(error).to_contain_text("Agus Setiawan")  # bpjs2.cilincing, who handed over the first
    expect(page.get_by_test_id("rec-handed")).to_have_text("2")
    assert Handover.objects.filter(distribution=dist, person=first).count() == 1
    expect(page.get_by_test_id("handover-list")).to_contain_text("Pekerja Kedua")
