"""Issue 15: one meaning per message id. On the schedules page the processes that run jobs are
"Pekerja latar" (background job workers), not "Pekerja" (the people the registry keeps)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}


def test_schedules_page_names_background_workers_pekerja_latar(client, make_user):
    client.force_login(make_user("admin"))
    html = client.get("/ops/schedules/", **ID).content.decode()
    assert "<h2>Pekerja latar</h2>" in html
    assert "<th>Pekerja latar</th>" in html
    # the menu still has the registry's people list under its own word
    nav = html.split('id="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert re.search(rf'<a href="{re.escape(reverse("registry:person_list"))}"[^>]*>Pekerja</a>', nav)
