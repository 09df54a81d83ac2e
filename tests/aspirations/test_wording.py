"""Issue 15: one meaning per message id. The filing form's button "File" is the verb ("Ajukan"); the
programs' document field "File" is the noun ("Berkas", tests/programs/test_wording.py)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def test_filing_form_button_reads_ajukan(client, world):
    client.force_login(world.official)
    html = client.get(reverse("aspirations:new"), **ID).content.decode()
    assert '<button type="submit">Ajukan</button>' in html
    assert "Berkas</button>" not in html
