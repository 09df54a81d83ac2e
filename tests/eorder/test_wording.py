"""Issue 15: one meaning per message id. A vendor's catalogue lists dishes ("Hidangan"), not the plan or
agenda items ("Butir") of planning and aspirations."""

import pytest
from django.urls import reverse

from tests.eorder.factories import approved_vendor

pytestmark = pytest.mark.django_db
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def test_vendor_catalogue_reads_hidangan(client, world):
    v = approved_vendor(union=world.union, checker=world.officer, approver=world.second, body=world.body)
    client.force_login(world.officer)
    html = client.get(reverse("eorder:vendor_detail", args=[v.pk]), **ID).content.decode()
    head = html.split('data-testid="items"', 1)[1].split("</thead>", 1)[0]
    assert "<th>Hidangan</th>" in head and "Butir" not in head
    assert "Nasi kotak" in html
