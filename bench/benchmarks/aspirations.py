"""Escalating overdue aspirations set-based (the daily `aspirations.escalate` job) and reading the scoped
case list and the report, against a bare COUNT(*) of the overdue cases.

Setup inserts `size` aspirations in North Jakarta with bulk_create (one transaction): half overdue,
routed to one agency with an officer, a head and an administrator, plus the North Jakarta tripartite
body. The escalation marks every overdue case, adds two timeline steps and an audit entry per case,
puts each on the tripartite agenda and notifies three people per case (in-app; e-mail digests are one
per person).
"""

import datetime as dt

DEFAULT_SIZE = 20_000


def _world():
    from sinergi.accounts.models import Organisation, User
    from sinergi.accounts.roles import OrgKind, Role
    from sinergi.unions.services import union_body_create

    agency = Organisation.objects.create(kind=OrgKind.AGENCY, name="Dinas Bench", region_id="31")
    Organisation.objects.create(kind=OrgKind.TRIPARTITE, name="LKS Bench Jakut", region_id="3172")
    body = union_body_create(actor=None, name="Serikat Bench", kind="union", region_id="31")
    union = Organisation.objects.create(
        kind=OrgKind.UNION, name="Org Serikat Bench", region_id="31", union_body=body
    )
    users = {}
    for name, role, org in [
        ("bench.officer", Role.AGENCY_OFFICER, agency),
        ("bench.head", Role.AGENCY_HEAD, agency),
        ("bench.admin", Role.ADMIN, agency),
        ("bench.union", Role.UNION_OFFICIAL, union),
    ]:
        users[name] = User.objects.create(
            username=name, role=role, organisation=org, email=f"{name}@bench.invalid"
        )
    return agency, body, union, users


def _load(size, agency, body, union, users):
    from django.db import transaction

    from sinergi.aspirations.models import Aspiration, AspirationEvent, new_tracking_code

    today = dt.date(2026, 6, 1)
    rows = []
    for i in range(size):
        received = today - dt.timedelta(days=30 if i % 2 == 0 else 1)
        rows.append(
            Aspiration(
                tracking_code=new_tracking_code(),
                title=f"Kasus bench {i}",
                description="Uraian kasus untuk pengukuran.",
                category=["bureaucracy", "program", "other", "industrial"][i % 4],
                region_id="3172",
                status=Aspiration.Status.ASSIGNED,
                filed_by=users["bench.union"],
                filer_organisation=union,
                union_body=body,
                assigned_organisation=agency,
                received_on=received,
                acknowledge_due=received + dt.timedelta(days=3),
                answer_due=received + dt.timedelta(days=14),
            )
        )
    with transaction.atomic():
        made = Aspiration.objects.bulk_create(rows, batch_size=2000)
        AspirationEvent.objects.bulk_create(
            [AspirationEvent(aspiration=a, kind="received", to_status="received") for a in made],
            batch_size=5000,
        )
    return today


def run(bench, size):
    from django.db.models import Q

    from sinergi.aspirations import selectors, services
    from sinergi.aspirations.models import AgendaItem, Aspiration, Notification
    from sinergi.notifications.services import quiet

    agency, body, union, users = _world()
    bench.time("setup: aspirations (bulk_create)", lambda: _load(size, agency, body, union, users), rows=size)
    today = dt.date(2026, 6, 1)
    overdue = Aspiration.objects.filter(services.overdue_q(today))
    n_overdue = bench.time("COUNT(*) overdue", lambda: overdue.count(), rows=size)
    expected = overdue.count()

    def escalate():
        with quiet():
            return services.aspirations_escalate(today=today)

    result = {}
    secs = bench.time(
        "escalate all overdue (set-based)",
        lambda: result.update(escalate()),
        rows=expected,
        baseline="COUNT(*) overdue",
    )
    again = {}
    bench.time("escalate again (nothing left)", lambda: again.update(escalate()), rows=size)

    def list_page(user):
        qs = selectors.aspiration_list(user=user, filters={"status": "open"})
        return qs.count(), list(qs[:25])

    bench.time(
        "scoped open list: count + first page (agency)", lambda: list_page(users["bench.officer"]), rows=size
    )
    bench.time(
        "scoped open list: count + first page (union)", lambda: list_page(users["bench.union"]), rows=size
    )
    report_secs = bench.time(
        "report (age, category, organisation, median)",
        lambda: selectors.report(user=users["bench.head"], today=today),
        rows=size,
    )

    bench.note("overdue cases", expected)
    bench.note("escalated", result.get("escalated"))
    bench.note("agenda items", AgendaItem.objects.count())
    bench.note("notifications", Notification.objects.count())
    bench.note("ms per escalated case", round(1000 * secs / max(1, expected), 3))
    del n_overdue
    bench.goal(
        "every overdue case escalated once, on the agenda once",
        result.get("escalated") == expected
        and AgendaItem.objects.count() == expected
        and again.get("escalated") == 0
        and not Aspiration.objects.filter(Q(escalated_at__isnull=True) & services.overdue_q(today)).exists(),
    )
    bench.goal(
        "100,000 overdue cases escalated in under 5 minutes (extrapolated)",
        secs * 100_000 / max(1, expected) < 300,
    )
    bench.goal("report under 5 s", report_secs < 5)
