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
