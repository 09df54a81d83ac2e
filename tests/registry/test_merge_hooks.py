"""The person merge asks each app to move its own rows (its merge.py hook); registry writes only its own."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from sinergi.registry import services


def test_every_app_pointing_at_person_has_a_merge_hook():
    hooks = services.person_merge_hooks()
    pointing = {model._meta.app_label for model, _field in services._person_fk_fields()} - {"registry"}
    assert pointing <= set(hooks)
    assert {"unions", "coverage", "claims", "programs", "aspirations", "lifeevents"} <= set(hooks)


def test_an_app_without_a_hook_stops_the_merge(monkeypatch):
    class FakeModel:
        class _meta:  # noqa: N801  (shaped like a model's _meta)
            app_label = "newapp"

    real = list(services._person_fk_fields())
    monkeypatch.setattr(services, "_person_fk_fields", lambda: iter([*real, (FakeModel, None)]))
    with pytest.raises(ImproperlyConfigured, match="newapp"):
        services.person_merge_hooks()


@pytest.mark.django_db
def test_a_merge_moves_rows_of_an_app_above_registry_through_its_hook(agency_officer):
    import datetime as dt

    from sinergi.core import clock
    from sinergi.lifeevents.models import LifeEvent
    from tests.factories import PersonFactory

    keep, drop = PersonFactory(), PersonFactory()
    event = LifeEvent.objects.create(
        person=drop, kind=LifeEvent.Kind.values[0], event_date=dt.date(2026, 1, 5), recorded_at=clock.now()
    )
    services.person_merge(actor=agency_officer, keep=keep, drop=drop)
    event.refresh_from_db()
    assert event.person_id == keep.pk
    drop.refresh_from_db()
    assert drop.merged_into_id == keep.pk
