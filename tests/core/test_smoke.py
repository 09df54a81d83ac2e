import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_answers_ok(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_home_needs_login_and_shows_for_officer(client, agency_officer, password):
    assert client.get(reverse("core:home")).status_code == 302
    assert client.login(username=agency_officer.username, password=password)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert agency_officer.organisation.name in response.content.decode()


def test_home_shows_audit_figures_to_auditors_only(client, make_user):
    from sinergi.core.audit import audit_record

    head = make_user("agency_head", region="3509")
    officer = make_user("agency_officer", region="3509", org=head.organisation)
    audit_record(actor=officer, action="reveal", object_type="registry.person", purpose="klaim")
    audit_record(actor=officer, action="update", object_type="registry.person")
    client.force_login(head)
    body = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Audit entries in the last 24 hours" in body
    assert "1 reveals or exports of personal data" in body
    client.force_login(officer)
    assert "Audit entries" not in client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_navigation_is_grouped_by_area_with_home_first(client, agency_officer, password):
    client.force_login(agency_officer)
    groups = client.get(reverse("core:home")).context["nav_groups"]
    assert groups[0]["label"] == "" and [i["url_name"] for i in groups[0]["items"]] == ["core:home"]
    labels = [str(g["label"]) for g in groups[1:]]
    assert len(labels) == len(set(labels))  # each area once, meetings under aspirations
    every = [i["url_name"] for g in groups for i in g["items"]]
    assert "registry:person_list" in every and "meetings:calendar" in every
