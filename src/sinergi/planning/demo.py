"""Demo plans from the articles: DKI's 2020 plan (23,000 worker cards and their budget); the 2021 plan
drafted with the P3KP team and revised for COVID-19 refocusing with direct help protected; Pekalongan's
2023 scheme target of 500 (Perwal 19/2023 revising Perwal 19b/2022) with its budget; the 2024
informal-sector plan of PC FSP Kerah Biru-SPSI Jember for its Pokja. Then the month-end snapshots of
those years are frozen and the live figures computed. Idempotent: an existing plan is left alone.

Amounts and unit costs are invented for the demo (the articles give no budget figures)."""

import datetime as dt
from decimal import Decimal

from sinergi.core import clock
from sinergi.core.demo import refresh_planner_statistics
from sinergi.coverage.models import Scheme
from sinergi.planning import services, snapshots
from sinergi.planning.models import Plan, ReviewTeam, Snapshot
from sinergi.regions.models import Region

DEMO_YEARS = (2020, 2021, 2023, 2024)


def _region(code):
    return Region.objects.get(code=code)


def _team(ctx, org_key, name, members, decree=""):
    org = ctx.orgs[org_key]
    team = ReviewTeam.objects.filter(organisation=org, name=name).first()
    if team is None:
        team = services.review_team_create(
            actor=ctx.users[members[0]],
            organisation=org,
            name=name,
            decree=decree,
            members=[ctx.users[m] for m in members],
        )
    return team


def _approve(ctx, plan, maker, reviewers, approver, note=""):
    services.plan_submit(actor=ctx.users[maker], plan=plan)
    for who in reviewers:
        services.plan_review(actor=ctx.users[who], plan=plan, verdict="agree", comment="Setuju.")
    services.plan_approve(actor=ctx.users[approver], plan=plan, note=note)


def _dki_2020(ctx, team):
    officer = ctx.users["petugas.dki"]
    with clock.travel("2020-01-10T09:00:00"):
        plan = services.plan_create(
            actor=officer,
            organisation=ctx.orgs["disnakertrans_dki"],
            year=2020,
            title="Rencana Kerja Kesejahteraan Pekerja 2020",
            region=_region("31"),
            legal_basis="Pergub DKI Jakarta tentang Kartu Pekerja Jakarta",
            review_team=team,
        )
        kpj = services.activity_add(
            actor=officer,
            plan=plan,
            program="Kartu Pekerja Jakarta",
            name="Distribusi 23.000 KPJ",
            responsible_unit="Bidang Hubungan Industrial",
        )
        services.target_set(
            actor=officer,
            activity=kpj,
            indicator="cards.issued",
            region=_region("31"),
            quarters=[6000, 10500, 16250, 23000],
        )
        services.target_set(
            actor=officer,
            activity=kpj,
            indicator="cards.issued",
            region=_region("3172"),
            quarters=[1200, 2100, 3250, 4600],
        )
        services.target_set(
            actor=officer,
            activity=kpj,
            indicator="cards.handed_over",
            region=_region("31"),
            quarters=[5000, 10000, 15000, 23000],
        )
        services.budget_line_add(
            actor=officer,
            activity=kpj,
            account_code="5.1.02.01.01.0026",
            sub_activity="Pencetakan Kartu Pekerja Jakarta",
            amount=Decimal(23000 * 15000),
            source="APBD",
            protected=True,
            spend_indicator="cards.issued",
            unit_cost=15000,
        )
        jp = services.activity_add(
            actor=officer,
            plan=plan,
            program="Jakpreneur",
            name="Pelatihan kewirausahaan anggota serikat",
            responsible_unit="Bidang Pelatihan",
        )
        services.target_set(
            actor=officer,
            activity=jp,
            indicator="programs.trainees",
            region=_region("31"),
            quarters=[50, 100, 150, 200],
        )
        services.target_set(
            actor=officer,
            activity=jp,
            indicator="programs.graduates",
            region=_region("31"),
            quarters=[40, 80, 120, 180],
        )
        services.budget_line_add(
            actor=officer,
            activity=jp,
            account_code="5.1.02.02.01.0004",
            sub_activity="Pelatihan Jakpreneur",
            amount=Decimal(200 * 2_500_000),
            source="APBD",
            protected=True,
            spend_indicator="programs.trainees",
            unit_cost=2_500_000,
        )
        dlg = services.activity_add(
            actor=officer,
            plan=plan,
            program="Dialog sosial",
            name="Diskusi berkala dengan serikat pekerja",
            responsible_unit="Sekretariat",
        )
        services.target_set(
            actor=officer,
            activity=dlg,
            indicator="meetings.dialogues",
            region=_region("31"),
            quarters=[1, 2, 3, 4],
        )
        services.budget_line_add(
            actor=officer,
            activity=dlg,
            account_code="5.1.02.01.01.0052",
            sub_activity="Rapat koordinasi dan dialog",
            amount=Decimal(120_000_000),
            source="APBD",
        )
    with clock.travel("2020-01-20T10:00:00"):
        _approve(ctx, plan, "petugas.dki", ["petugas.dki", "serikat.fspmi", "bpjs.cilincing"], "kadis.dki")


def _dki_2021(ctx, team):
    officer = ctx.users["petugas.dki"]
    with clock.travel("2020-11-16T09:00:00"):
        plan = services.plan_create(
            actor=officer,
            organisation=ctx.orgs["disnakertrans_dki"],
            year=2021,
            title="Rencana Kerja Kesejahteraan Pekerja 2021",
            region=_region("31"),
            legal_basis="Penyusunan program 2021 bersama Tim P3KP",
            review_team=team,
        )
        kpj = services.activity_add(
            actor=officer,
            plan=plan,
            program="Kartu Pekerja Jakarta",
            name="Distribusi KPJ 2021",
            responsible_unit="Bidang Hubungan Industrial",
        )
        services.target_set(
            actor=officer,
            activity=kpj,
            indicator="cards.issued",
            region=_region("31"),
            quarters=[5000, 10000, 15000, 20000],
        )
        help_line = services.budget_line_add(
            actor=officer,
            activity=kpj,
            account_code="5.1.02.01.01.0026",
            sub_activity="Pencetakan dan subsidi KPJ",
            amount=Decimal(20000 * 15000),
            source="APBD",
            protected=True,
            spend_indicator="cards.issued",
            unit_cost=15000,
        )
        aid = services.activity_add(
            actor=officer,
            plan=plan,
            program="Bantuan langsung pekerja",
            name="Paket sembako bagi pekerja terdampak",
            responsible_unit="Bidang Kesejahteraan",
        )
        services.target_set(
            actor=officer,
            activity=aid,
            indicator="programs.packages",
            region=_region("31"),
            quarters=[1000, 2000, 3000, 4000],
        )
        aid_line = services.budget_line_add(
            actor=officer,
            activity=aid,
            account_code="5.1.02.03.01.0001",
            sub_activity="Paket sembako pekerja",
            amount=Decimal(4000 * 300_000),
            source="APBD",
            protected=True,
            spend_indicator="programs.packages",
            unit_cost=300_000,
        )
        evt = services.activity_add(
            actor=officer,
            plan=plan,
            program="Dialog sosial",
            name="Peringatan May Day dan rapat koordinasi",
            responsible_unit="Sekretariat",
        )
        event_line = services.budget_line_add(
            actor=officer,
            activity=evt,
            account_code="5.1.02.01.01.0052",
            sub_activity="Penyelenggaraan acara May Day",
            amount=Decimal(750_000_000),
            source="APBD",
        )
        travel_line = services.budget_line_add(
            actor=officer,
            activity=evt,
            account_code="5.1.02.04.01.0001",
            sub_activity="Perjalanan dinas",
            amount=Decimal(250_000_000),
            source="APBD",
        )
    with clock.travel("2020-11-30T10:00:00"):
        services.plan_submit(actor=officer, plan=plan)
        services.plan_review(
            actor=ctx.users["serikat.fspmi"],
            plan=plan,
            verdict="changes",
            comment="Mohon paket sembako bagi pekerja terdampak dimasukkan sebagai bantuan langsung.",
        )
    with clock.travel("2020-12-07T10:00:00"):
        for who in ("petugas.dki", "serikat.fspmi", "bpjs.cilincing"):
            if who == "petugas.dki":
                services.plan_submit(actor=officer, plan=plan)
            services.plan_review(actor=ctx.users[who], plan=plan, verdict="agree", comment="Setuju.")
    with clock.travel("2020-12-14T10:00:00"):
        services.plan_approve(actor=ctx.users["kadis.dki"], plan=plan, note="Ditetapkan.")
    with clock.travel("2021-04-12T10:00:00"):
        rev = services.revision_propose(
            actor=ctx.users["petugas2.dki"],
            plan=plan,
            reason="Refocusing anggaran penanganan COVID-19: acara dan perjalanan dinas dipangkas; "
            "bantuan langsung kepada pekerja tidak dihilangkan.",
            effective_date=dt.date(2021, 4, 12),
            line_amounts={
                event_line.pk: Decimal(150_000_000),
                travel_line.pk: Decimal(50_000_000),
                help_line.pk: help_line.amount,
                aid_line.pk: aid_line.amount,
            },
        )
        services.revision_approve(actor=ctx.users["kadis.dki"], revision=rev, note="Disetujui.")


def _pekalongan_2023(ctx):
    officer = ctx.users["petugas.pekalongan"]
    team = _team(
        ctx,
        "dinperinaker_pekalongan",
        "Tim Perlindungan Pekerja Rentan Kota Pekalongan",
        ["petugas.pekalongan", "petugas2.pekalongan", "bpjs.pekalongan"],
    )
    scheme = Scheme.objects.filter(region_id="3375", year=2023).first()
    with clock.travel("2023-01-09T09:00:00"):
        plan = services.plan_create(
            actor=officer,
            organisation=ctx.orgs["dinperinaker_pekalongan"],
            year=2023,
            title="Perlindungan Jaminan Sosial Pekerja Rentan 2023",
            region=_region("3375"),
            legal_basis="Perwal Kota Pekalongan No. 19/2023 tentang Perubahan atas Perwal No. 19B/2022",
            review_team=team,
        )
        act = services.activity_add(
            actor=officer,
            plan=plan,
            program="Jaminan sosial pekerja rentan",
            name="Kepesertaan JKK dan JKM dibiayai APBD",
            responsible_unit="Bidang Tenaga Kerja",
        )
        services.target_set(
            actor=officer,
            activity=act,
            indicator="coverage.sponsored",
            region=_region("3375"),
            quarters=[300, 400, 450, 500],
        )
        services.budget_line_add(
            actor=officer,
            activity=act,
            account_code="5.1.02.01.01.0099",
            sub_activity="Iuran BPJS Ketenagakerjaan pekerja rentan",
            amount=scheme.budget if scheme else Decimal(100_800_000),
            source="APBD",
            protected=True,
            spend_indicator="coverage.premiums_paid",
            scheme=scheme,
        )
    with clock.travel("2023-01-16T10:00:00"):
        _approve(
            ctx,
            plan,
            "petugas.pekalongan",
            ["petugas.pekalongan", "petugas2.pekalongan", "bpjs.pekalongan"],
            "admin",
        )


def _jember_2024(ctx):
    officer = ctx.users["serikat.kerahbiru"]
    team = _team(
        ctx,
        "pc_kerahbiru_jember",
        "Tim Program Pokja Sektor Informal",
        ["serikat.kerahbiru", "petugas.jember"],
    )
    with clock.travel("2024-01-15T09:00:00"):
        plan = services.plan_create(
            actor=officer,
            organisation=ctx.orgs["pc_kerahbiru_jember"],
            year=2024,
            title="Program Pokja Sektor Informal 2024",
            region=_region("3509"),
            legal_basis="Program kerja PC FSP Kerah Biru-SPSI Kabupaten Jember",
            review_team=team,
        )
        act = services.activity_add(
            actor=officer,
            plan=plan,
            program="Jaminan sosial pekerja informal",
            name="Pendampingan pendaftaran BPU anggota Pokja (dipadukan dengan J-Keren)",
            responsible_unit="Bidang Advokasi PC",
        )
        services.target_set(
            actor=officer,
            activity=act,
            indicator="coverage.participants_bpu",
            region=_region("3509"),
            quarters=[100, 200, 300, 400],
        )
        services.budget_line_add(
            actor=officer,
            activity=act,
            account_code="PC-01",
            sub_activity="Sosialisasi dan pendampingan",
            amount=Decimal(24_000_000),
            source="DUES",
            protected=True,
        )
        dlg = services.activity_add(
            actor=officer,
            plan=plan,
            program="Dialog",
            name="Ngopi Bareng dan audiensi dengan Pemkab",
            responsible_unit="Sekretariat PC",
        )
        services.target_set(
            actor=officer,
            activity=dlg,
            indicator="meetings.dialogues",
            region=_region("3509"),
            quarters=[1, 2, 3, 4],
        )
        services.budget_line_add(
            actor=officer,
            activity=dlg,
            account_code="PC-02",
            sub_activity="Konsumsi dan transport",
            amount=Decimal(6_000_000),
            source="DUES",
        )
    with clock.travel("2024-01-22T10:00:00"):
        _approve(ctx, plan, "serikat.kerahbiru", ["serikat.kerahbiru", "petugas.jember"], "admin")


def load(ctx):
    p3kp = _team(
        ctx,
        "disnakertrans_dki",
        "Tim P3KP (Percepatan Pengembangan Program Kesejahteraan Pekerja)",
        ["petugas.dki", "serikat.fspmi", "bpjs.cilincing"],
        decree="Keputusan Kepala Dinas tentang Tim P3KP",
    )
    made = 0
    for title, org_key, builder in (
        ("Rencana Kerja Kesejahteraan Pekerja 2020", "disnakertrans_dki", lambda: _dki_2020(ctx, p3kp)),
        ("Rencana Kerja Kesejahteraan Pekerja 2021", "disnakertrans_dki", lambda: _dki_2021(ctx, p3kp)),
        (
            "Perlindungan Jaminan Sosial Pekerja Rentan 2023",
            "dinperinaker_pekalongan",
            lambda: _pekalongan_2023(ctx),
        ),
        ("Program Pokja Sektor Informal 2024", "pc_kerahbiru_jember", lambda: _jember_2024(ctx)),
    ):
        if not Plan.objects.filter(organisation=ctx.orgs[org_key], title=title).exists():
            builder()
            made += 1
    frozen = 0
    # the earlier apps just bulk-loaded their tables: give PostgreSQL's planner statistics first, or the
    # indicator queries below get nested-loop plans that take seconds each
    refresh_planner_statistics()
    for year in DEMO_YEARS:
        frozen += len(snapshots.freeze_due(today=dt.date(year + 1, 1, 1), back_to=dt.date(year, 1, 1)))
    refreshed = not Snapshot.objects.filter(kind=Snapshot.Kind.LIVE).exists()
    if refreshed:
        snapshots.refresh_live()
    ctx.say(f"  {made} plans, {frozen} snapshots frozen{', live figures computed' if refreshed else ''}")
