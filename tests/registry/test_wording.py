"""Issue 15: one meaning per message id. The people list is "Pekerja" (the people the system serves),
in its title, heading and menu item; "Pekerja latar" (a background job worker) belongs to ops only."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def test_people_list_title_heading_and_menu_read_pekerja(client, agency_officer):
    client.force_login(agency_officer)
    url = reverse("registry:person_list")
    html = client.get(url, **ID).content.decode()
    assert re.search(r"<title>\s*Pekerja\b(?! latar)", html), re.search(r"<title>.*?</title>", html, re.S)
    assert re.search(r"<h1>Pekerja</h1>", html)
    nav = html.split('id="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert re.search(rf'<a href="{re.escape(url)}"[^>]*>Pekerja</a>', nav), nav
    assert "Pekerja latar" not in html
