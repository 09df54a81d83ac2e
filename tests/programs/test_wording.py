"""Issue 15: one meaning per message id. The application's document upload field "File" is the noun
("Berkas"), not the aspirations' filing button ("Ajukan")."""

import pytest
from django.urls import reverse

from tests.programs import test_forms_pages as pages

pytestmark = pytest.mark.django_db
officer, places = pages.officer, pages.places  # the same fixtures as the page tests
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def test_application_upload_field_reads_berkas(client, officer, places):
    client.force_login(officer)
    html = client.get(reverse("programs:application_detail", args=[places["app"].pk]), **ID).content.decode()
    assert 'type="file" name="file"' in html
    assert 'aria-label="Berkas"' in html and 'aria-label="Ajukan"' not in html
