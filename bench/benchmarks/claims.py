"""Claims at branch scale: the scoped claims list and home-card totals over `size` claims, exactly-once
payments through the service (each paid, then paid again), and the scholarship rule over many families.

Setup inserts `size` people, cases and claims with bulk_create (half in the Cilincing branch's area,
half in Pekalongan's; every status; a share overdue). Baseline for the list: a bare COUNT(*) of claims.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

DEFAULT_SIZE = 100_000
PAYMENTS = 200
FAMILIES = 20_000


def _setup(size: int):
    from django.db import transaction

    from sinergi.accounts.models import Organisation, User
    from sinergi.claims.models import Claim, ClaimCase
    from sinergi.registry.models import Person

    branch, _ = Organisation.objects.get_or_create(
        name="Bench BPJS Cilincing", defaults={"kind": "ss_branch", "region_id": "3172"}
    )
    branch.service_area.set(["3172"])
    officer, _ = User.objects.get_or_create(
        username="bench.claims", defaults={"organisation": branch, "role": "ss_officer"}
    )
    approver, _ = User.objects.get_or_create(
        username="bench.claims2", defaults={"organisation": branch, "role": "ss_officer"}
    )
    statuses = ["submitted", "verified", "approved", "rejected", "paid"]
    today = dt.date.today()
    batch = 10_000
    with transaction.atomic():
        for start in range(0, size, batch):
            n = min(batch, size - start)
            people = Person.objects.bulk_create(
                [
                    Person(
                        nik=f"{'317204' if (start + i) % 2 == 0 else '337501'}{start + i:010d}",
                        name=f"Peserta {start + i}",
                        name_key=f"peserta {start + i}",
                        birth_date=dt.date(1980, 1, 1),
                        sex="M",
                        domicile_region_id="317204" if (start + i) % 2 == 0 else "337501",
                    )
                    for i in range(n)
                ]
            )
            cases = ClaimCase.objects.bulk_create(
                [
                    ClaimCase(
                        reference=f"B-{start + i:09d}",
                        person=p,
                        event_type="death",
                        event_date=dt.date(2024, 5, 1),
                        region_id=p.domicile_region_id,
                        branch=branch,
                    )
                    for i, p in enumerate(people)
                ]
            )
            Claim.objects.bulk_create(
                [
                    Claim(
                        case=c,
                        benefit="JKM",
                        status=statuses[(start + i) % 5] if start + i >= PAYMENTS * 2 else "approved",
                        claimant_name="Ahli waris",
                        amount=Decimal(42_000_000),
                        due_on=today - dt.timedelta(days=(start + i) % 9 - 4),
                        verified_by=officer,
                        bank_name="Bank DKI",
                        bank_account=f"70{start + i:010d}",
                        account_holder="Ahli waris",
                    )
                    for i, c in enumerate(cases)
                ]
            )
    return officer, approver


def run(bench, size):
    from sinergi.claims import selectors, services
    from sinergi.claims.models import Claim, Payment
    from sinergi.core.errors import Conflict
    from sinergi.rules import benefits as rules

    bench.time("setup: people, cases and claims (bulk_create)", lambda: _setup(size), rows=size * 3)
    officer, approver = _setup_users()
    bench.time("COUNT(*) claims", lambda: Claim.objects.count(), rows=size)

    def first_page():
        qs = selectors.claim_list(user=officer, filters={"overdue": "1"})
        return qs.count(), list(qs[:30])

    secs = bench.time(
        "scoped overdue list: count + first page", first_page, rows=size, baseline="COUNT(*) claims"
    )
    bench.goal("scoped claims list page under 1 s", secs < 1)
    totals = {}
    bench.time(
        "home-card totals (open, overdue, paid, amount)",
        lambda: totals.update(selectors.claim_totals(user=officer)),
        rows=size,
    )
    bench.note("open claims in scope", totals.get("open"))

    approved = list(
        Claim.objects.filter(status="approved", case__region__code__startswith="3172").order_by("id")[
            :PAYMENTS
        ]
    )

    def pay_all():
        for claim in approved:
            services.claim_pay(actor=approver, claim=claim, reference="B")

    secs = bench.time(f"claim_pay x {len(approved)} (service, row lock)", pay_all, rows=len(approved))
    conflicts = 0

    def pay_again():
        nonlocal conflicts
        for claim in approved:
            try:
                services.claim_pay(actor=approver, claim=claim, reference="again")
            except Conflict:
                conflicts += 1

    bench.time(f"claim_pay again x {len(approved)} (all refused)", pay_again, rows=len(approved))
    paid = Payment.objects.filter(claim__in=approved).count()
    bench.note("ms per payment", secs * 1000 / max(1, len(approved)))
    bench.goal("every repeated payment refused, one payment per claim", conflicts == len(approved) == paid)

    families = min(FAMILIES, size)
    kids = [
        [
            rules.Child(
                f"{f}a", "A", dt.date(2010 + f % 8, 1, 1), ["SD", "SMP", "SMA", "TK", ""][f % 5], 1 + f % 3
            ),
            rules.Child(f"{f}b", "B", dt.date(2005 + f % 6, 6, 1), ["SMA", "PT", "SMP"][f % 3], 1 + f % 2),
            rules.Child(f"{f}c", "C", dt.date(2018, 1, 1)),
        ]
        for f in range(families)
    ]
    capped = []

    def plans():
        for children in kids:
            plan = rules.scholarship_plan(
                event="JKM", event_date=dt.date(2024, 5, 1), contribution_months=48, children=children
            )
            capped.append(plan.max_total <= Decimal(174_000_000))

    bench.time(f"scholarship_plan x {families} families (pure rules)", plans, rows=families)
    bench.goal("no plan over the Rp174,000,000 cap", all(capped))


def _setup_users():
    from sinergi.accounts.models import User

    return User.objects.get(username="bench.claims"), User.objects.get(username="bench.claims2")
