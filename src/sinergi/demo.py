"""`sinergi demo`: the organisations and people of the five source articles, loaded idempotently.

The foundation loads organisations, union roots and one login per persona; then each domain app's
`demo.load(ctx)` adds its own facts (in DOMAIN_APPS order). Officials named in the articles never
appear as logins, workers or claimants; logins have invented names. The demo password is generated
on first load, kept in SINERGI_HOME/demo_password (mode 600) and printed only in demo mode.

This module is the shell's, above every app (it creates organisations, union bodies and logins); the
pieces the apps' loaders share (`DemoContext`, `demo_password`) are in `sinergi.core.demo`.
"""

import importlib
import importlib.util

from django.conf import settings
from django.db import transaction
from django.utils import translation

from sinergi import DOMAIN_APPS
from sinergi.accounts.models import Organisation, User
from sinergi.core.demo import DemoContext, demo_password, refresh_planner_statistics
from sinergi.core.roles import OrgKind, Role
from sinergi.regions.models import Region
from sinergi.unions.models import UnionBody, UnionLevel
from sinergi.unions.services import union_body_create

__all__ = ["LOGINS", "ORGS", "DemoContext", "demo_load", "demo_password"]

ORGS = [
    # key, kind, name, short name, region, service area
    ("pemprov_dki", OrgKind.LEADERSHIP, "Pemerintah Provinsi DKI Jakarta", "Pemprov DKI Jakarta", "31", []),
    (
        "disnakertrans_dki",
        OrgKind.AGENCY,
        "Dinas Tenaga Kerja, Transmigrasi dan Energi Provinsi DKI Jakarta",
        "Disnakertrans dan Energi DKI",
        "31",
        [],
    ),
    (
        "dpw_fspmi_dki",
        OrgKind.UNION,
        "Dewan Pengurus Wilayah FSPMI DKI Jakarta",
        "DPW FSPMI DKI Jakarta",
        "31",
        [],
    ),
    ("kmmb", OrgKind.COOPERATIVE, "Koperasi Metal Maju Bersama", "KMMB", "31", []),
    (
        "bpjs_cilincing",
        OrgKind.SS_BRANCH,
        "BPJS Ketenagakerjaan Kantor Cabang Jakarta Cilincing",
        "BPJAMSOSTEK Cilincing",
        "3172",
        ["3172"],
    ),
    (
        "pemkot_jakut",
        OrgKind.LEADERSHIP,
        "Pemerintah Kota Administrasi Jakarta Utara",
        "Pemkot Jakarta Utara",
        "3172",
        [],
    ),
    (
        "lks_jakut",
        OrgKind.TRIPARTITE,
        "Lembaga Kerja Sama Tripartit Kota Administrasi Jakarta Utara",
        "LKS Tripartit Jakarta Utara",
        "3172",
        [],
    ),
    ("pemkab_jember", OrgKind.LEADERSHIP, "Pemerintah Kabupaten Jember", "Pemkab Jember", "3509", []),
    (
        "disnaker_jember",
        OrgKind.AGENCY,
        "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Jember",
        "Disnakertrans Jember",
        "3509",
        [],
    ),
    ("apbd_jember", OrgKind.SPONSOR, "APBD Kabupaten Jember", "APBD Jember", "3509", []),
    (
        "pc_kerahbiru_jember",
        OrgKind.UNION,
        "Pengurus Cabang FSP Kerah Biru-SPSI Kabupaten Jember",
        "PC FSP Kerah Biru-SPSI Jember",
        "3509",
        [],
    ),
    ("pemkot_pekalongan", OrgKind.LEADERSHIP, "Pemerintah Kota Pekalongan", "Pemkot Pekalongan", "3375", []),
    (
        "dinperinaker_pekalongan",
        OrgKind.AGENCY,
        "Dinas Perindustrian dan Tenaga Kerja Kota Pekalongan",
        "Dinperinaker Pekalongan",
        "3375",
        [],
    ),
    ("apbd_pekalongan", OrgKind.SPONSOR, "APBD Kota Pekalongan", "APBD Kota Pekalongan", "3375", []),
    (
        "bpjs_pekalongan",
        OrgKind.SS_BRANCH,
        "BPJS Ketenagakerjaan Kantor Cabang Pekalongan",
        "BPJAMSOSTEK Pekalongan",
        "3375",
        ["3375", "3326"],
    ),
]

# username, role, org key, first name, last name (invented people)
LOGINS = [
    ("admin", Role.ADMIN, "disnakertrans_dki", "Sari", "Administrator"),
    ("petugas.dki", Role.AGENCY_OFFICER, "disnakertrans_dki", "Rina", "Wulandari"),
    ("petugas2.dki", Role.AGENCY_OFFICER, "disnakertrans_dki", "Bayu", "Pratama"),
    ("kadis.dki", Role.AGENCY_HEAD, "disnakertrans_dki", "Hendra", "Gunawan"),
    ("pimpinan.dki", Role.LEADERSHIP_VIEWER, "pemprov_dki", "Dewi", "Anggraini"),
    ("serikat.fspmi", Role.UNION_OFFICIAL, "dpw_fspmi_dki", "Joko", "Santoso"),
    ("koperasi.kmmb", Role.UNION_OFFICIAL, "kmmb", "Wahyu", "Kurniawan"),
    ("bpjs.cilincing", Role.SS_OFFICER, "bpjs_cilincing", "Maya", "Lestari"),
    ("bpjs2.cilincing", Role.SS_OFFICER, "bpjs_cilincing", "Agus", "Setiawan"),
    ("pimpinan.jakut", Role.LEADERSHIP_VIEWER, "pemkot_jakut", "Fajar", "Nugroho"),
    ("tripartit.jakut", Role.TRIPARTITE_SECRETARY, "lks_jakut", "Lina", "Marlina"),
    ("petugas.jember", Role.AGENCY_OFFICER, "disnaker_jember", "Yusuf", "Hidayat"),
    ("pimpinan.jember", Role.LEADERSHIP_VIEWER, "pemkab_jember", "Ratna", "Sari"),
    ("serikat.kerahbiru", Role.UNION_OFFICIAL, "pc_kerahbiru_jember", "Eko", "Purnomo"),
    ("sponsor.jember", Role.SPONSOR_VIEWER, "apbd_jember", "Tri", "Wibowo"),
    ("petugas.pekalongan", Role.AGENCY_OFFICER, "dinperinaker_pekalongan", "Nur", "Aini"),
    ("petugas2.pekalongan", Role.AGENCY_OFFICER, "dinperinaker_pekalongan", "Rudi", "Hartono"),
    ("bpjs.pekalongan", Role.SS_OFFICER, "bpjs_pekalongan", "Siti", "Rahmawati"),
    ("sponsor.pekalongan", Role.SPONSOR_VIEWER, "apbd_pekalongan", "Andi", "Saputra"),
    ("pimpinan.pekalongan", Role.LEADERSHIP_VIEWER, "pemkot_pekalongan", "Indah", "Permata"),
]


def _union_roots(ctx: DemoContext):
    def body(key, name, short, kind, region, parent=None, level=None):
        existing = UnionBody.objects.filter(name=name).first()
        ctx.union_bodies[key] = existing or union_body_create(
            actor=None, name=name, short_name=short, kind=kind, region_id=region, parent=parent, level=level
        )
        return ctx.union_bodies[key]

    fspmi = body(
        "fspmi", "Federasi Serikat Pekerja Metal Indonesia", "FSPMI", UnionBody.Kind.FEDERATION, "31"
    )
    levels = {}
    for order, code, name in [
        (1, "DPP", "Dewan Pimpinan Pusat"),
        (2, "DPW", "Dewan Pengurus Wilayah"),
        (3, "KC", "Konsulat Cabang"),
        (4, "PUK", "Pimpinan Unit Kerja"),
    ]:
        levels[code], _ = UnionLevel.objects.get_or_create(
            federation=fspmi, code=code, defaults={"order": order, "name": name}
        )
    ctx.union_levels = {"fspmi": levels}
    body(
        "dpw_fspmi_dki",
        "DPW FSPMI DKI Jakarta",
        "DPW FSPMI DKI",
        UnionBody.Kind.UNIT,
        "31",
        fspmi,
        levels["DPW"],
    )
    kb = body(
        "fsp_kerahbiru",
        "Federasi Serikat Pekerja Kerah Biru-SPSI",
        "FSP Kerah Biru-SPSI",
        UnionBody.Kind.FEDERATION,
        "35",
    )
    kb_levels = {}
    for order, code, name in [
        (1, "DPP", "Dewan Pimpinan Pusat"),
        (2, "PD", "Pimpinan Daerah"),
        (3, "PC", "Pimpinan Cabang"),
        (4, "PUK", "Pimpinan Unit Kerja"),
        (5, "POKJA", "Kelompok Pekerja Anggota"),
    ]:
        kb_levels[code], _ = UnionLevel.objects.get_or_create(
            federation=kb, code=code, defaults={"order": order, "name": name}
        )
    ctx.union_levels["fsp_kerahbiru"] = kb_levels
    body(
        "pc_kerahbiru_jember",
        "PC FSP Kerah Biru-SPSI Kabupaten Jember",
        "PC FSP Kerah Biru Jember",
        UnionBody.Kind.UNIT,
        "3509",
        kb,
        kb_levels["PC"],
    )


@transaction.atomic
def _foundation(ctx: DemoContext):
    _union_roots(ctx)
    union_links = {
        "dpw_fspmi_dki": "dpw_fspmi_dki",
        "pc_kerahbiru_jember": "pc_kerahbiru_jember",
        "kmmb": "dpw_fspmi_dki",
    }
    for key, kind, name, short, region, area in ORGS:
        org, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "short_name": short,
                "region_id": region,
                "union_body": ctx.union_bodies.get(union_links.get(key, "")),
            },
        )
        if area:
            org.service_area.set(Region.objects.filter(code__in=area))
        ctx.orgs[key] = org
    ctx.orgs["kmmb"].parent = ctx.orgs["dpw_fspmi_dki"]
    ctx.orgs["kmmb"].save(update_fields=["parent"])
    for username, role, org_key, first, last in LOGINS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "organisation": ctx.orgs[org_key],
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.sinergi.invalid",
            },
        )
        if created or not user.check_password(ctx.password):
            user.set_password(ctx.password)
            user.role, user.organisation = role, ctx.orgs[org_key]
            user.save()
        ctx.users[username] = user


def demo_load(stdout=print) -> list[tuple[str, str, str, str]]:
    """Load everything; returns (username, password, role label, organisation) for each demo login.

    In the site's language whatever the caller's: what the demo writes keeps text (an audit entry names
    its object as `str(obj)` did when it was written, "potret indikator akhir bulan …"), and a thread
    that last served an English request still has English active."""
    ctx = DemoContext(say=stdout, password=demo_password())
    with translation.override(settings.LANGUAGE_CODE):
        stdout("Loading demo data: organisations and logins …")
        _foundation(ctx)
        for app in DOMAIN_APPS:
            if app != "sinergi.core" and importlib.util.find_spec(f"{app}.demo") is not None:
                module = importlib.import_module(f"{app}.demo")
                stdout(f"Loading demo data: {app.rsplit('.', 1)[-1]} …")
                module.load(ctx)
        refresh_planner_statistics()
    return [
        (u.username, ctx.password, str(u.get_role_display()), str(u.organisation)) for u in ctx.users.values()
    ]
