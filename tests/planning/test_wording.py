"""Issue 15: one meaning per message id. Comparing plan versions, "Item" is a plan line ("Butir", not the
e-order menu's "Hidangan") and "Change" is the difference ("Perubahan", not Django admin's verb "Ubah")."""

import pytest

from tests.planning.test_input_forms import people  # noqa: F401  (the fixture)
from tests.planning.test_workflow import _in_force

pytestmark = pytest.mark.django_db
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def test_compare_table_reads_butir_and_perubahan(client, people):  # noqa: F811
    plan, *_ = _in_force(people)
    client.force_login(people["officer"])
    html = client.get(f"/planning/{plan.pk}/compare/?a=1&b=1", **ID).content.decode()
    head = html.split('data-testid="compare"', 1)[1].split("</thead>", 1)[0]
    assert "<th>Butir</th>" in head and "<th>Perubahan</th>" in head
    assert "Hidangan" not in head and "Ubah" not in head
