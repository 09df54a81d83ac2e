"""Issue #16: the cached figures of home and gap pages are shared by colleagues with the same scope, are
not made stale by reads (logins, reveals, exports), but follow every audited write, the language and
the scope."""

import pytest
from django.utils import translation

from sinergi.core import audit
from sinergi.core.home import cached_figures, data_version, scope_key
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


class Counting:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"n": self.calls}


@pytest.fixture
def office(settings):
    settings.SINERGI_FIGURES_SECONDS = 300
    org = OrganisationFactory(region_id="3172")
    return org, UserFactory(organisation=org), UserFactory(organisation=org)


def test_colleagues_with_one_scope_share_the_figures(office):
    _org, first, second = office
    compute = Counting()
    assert cached_figures(first, "t.share", compute) == {"n": 1}
    assert cached_figures(second, "t.share", compute) == {"n": 1}
    assert compute.calls == 1
    assert scope_key(first) == scope_key(second)


def test_another_region_or_role_computes_its_own(office):
    _org, first, _second = office
    elsewhere = UserFactory(organisation=OrganisationFactory(region_id="3171"))
    head = UserFactory(organisation=first.organisation, role="agency_head")
    compute = Counting()
    cached_figures(first, "t.scope", compute)
    cached_figures(elsewhere, "t.scope", compute)
    cached_figures(head, "t.scope", compute)
    assert compute.calls == 3


def test_reads_keep_the_figures_and_a_write_recomputes_them(office):
    _org, first, second = office
    person = PersonFactory()
    compute = Counting()
    cached_figures(first, "t.version", compute)
    before = data_version()
    audit.audit_record(actor=second, action="login", obj=second)
    audit.audit_record(actor=second, action="reveal", obj=person, purpose="check")
    audit.audit_record(actor=second, action="export", obj=person, purpose="check")
    audit.audit_record(actor=second, action="other", obj=second, changes={"login_step": "password"})
    assert data_version() == before
    cached_figures(first, "t.version", compute)
    assert compute.calls == 1
    audit.audit_record(actor=second, action="update", obj=person, changes={"name": ["a", "b"]})
    assert data_version() > before
    cached_figures(first, "t.version", compute)
    assert compute.calls == 2


def test_each_language_has_its_own_figures(office):
    _org, first, _second = office
    compute = Counting()
    with translation.override("id"):
        cached_figures(first, "t.lang", compute)
    with translation.override("en"):
        cached_figures(first, "t.lang", compute)
    assert compute.calls == 2


def test_a_second_request_reads_the_process_tier_and_gets_its_own_copy(office):
    from django.core.cache import cache

    from sinergi.core import home

    _org, first, _second = office
    compute = Counting()
    value = cached_figures(first, "t.local", compute)
    value["n"] = 99  # a caller changing what it got changes nobody else's figures
    cache.clear()  # the shared tier is gone: the process's tier still answers, unchanged
    assert cached_figures(first, "t.local", compute) == {"n": 1}
    home.local_figures_clear()
    assert cached_figures(first, "t.local", compute) == {"n": 2}
    assert compute.calls == 2


def test_the_process_tier_is_bounded(office, monkeypatch):
    from sinergi.core import home

    monkeypatch.setattr(home, "LOCAL_MAX_ENTRIES", 3)
    _org, first, _second = office
    for i in range(10):
        cached_figures(first, f"t.bound.{i}", Counting())
    assert len(home._LOCAL) == 3
