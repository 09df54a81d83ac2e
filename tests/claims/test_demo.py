"""The claims demo reproduces article 002's May Day totals to the rupiah and loads once."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from sinergi.claims import demo
from sinergi.claims.models import Claim, ClaimCase, Payment
from sinergi.core.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_may_day_totals_exact_and_open_claims_in_every_state(make_user):
    first = make_user("ss_officer", region="3172", org_kind="ss_branch")
    ctx = DemoContext(
        users={"bpjs.cilincing": first, "bpjs2.cilincing": make_user("ss_officer", org=first.organisation)},
        say=lambda *a: None,
    )
    demo.load(ctx)
    totals = dict(
        Payment.objects.values_list("claim__case__employer__name")
        .annotate(s=Sum("amount"))
        .values_list("claim__case__employer__name", "s")
    )
    assert totals == {
        "PT Indofood CBP Sukses Makmur": Decimal("974549826"),
        "PT Kukuh Mandiri Lestari": Decimal("911074260"),
    }
    assert set(Claim.objects.values_list("status", flat=True)) == {
        "submitted",
        "verified",
        "approved",
        "rejected",
        "paid",
    }
    assert Claim.objects.filter(status="submitted", due_on__isnull=False).exists()  # the overdue one
    cases = ClaimCase.objects.count()
    demo.load(ctx)
    assert ClaimCase.objects.count() == cases
