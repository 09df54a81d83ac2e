"""Demo: the 30 FSPMI members in Jakpreneur's e-order cohort graduate and become vendors; Disnakertrans
DKI's activities of 2021 order lunches and snacks from them by fair rotation, through the real services
(one declined offer, one shortfall with a complaint, one halal certificate that expired mid-year and
still suspends its vendor). Businesses, accounts and permit numbers are invented."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from sinergi.core import clock
from sinergi.eorder import services
from sinergi.eorder.models import CatalogueItem, Offer, Order, PriceCeiling, Vendor
from sinergi.programs import services as program_services
from sinergi.programs.models import Enrolment
from sinergi.programs.selectors import level_graduates

YEAR = 2021
DECREE = "Keputusan Gubernur DKI Jakarta tentang Standar Harga Satuan Tahun Anggaran 2021 (angka demo)"
CEILINGS = {"lunch": 50000, "snack": 20000, "drink": 10000}
UNITS = [
    "Sekretariat Dinas",
    "Bidang Hubungan Industrial dan Jaminan Sosial",
    "Bidang Pelatihan dan Produktivitas",
    "Bidang Penempatan Tenaga Kerja",
    "Bidang Pengawasan Ketenagakerjaan",
    "Bidang Energi",
]
ACTIVITIES = [
    ("Rapat koordinasi LKS Tripartit Provinsi", "Ruang rapat Disnakertrans dan Energi, Jl. Prapatan 52"),
    ("Sosialisasi upah minimum", "Aula Disnakertrans dan Energi"),
    ("Bimbingan teknis penyusunan PKB", "Aula Disnakertrans dan Energi"),
    ("Pelatihan K3 bagi pengurus serikat", "PPKD Jakarta Utara"),
    ("Rapat Dewan Pengupahan Provinsi", "Ruang rapat Kepala Dinas"),
    ("Pemeriksaan bersama pengawas ketenagakerjaan", "Kantor Suku Dinas Jakarta Utara"),
    ("Monitoring Jakpreneur dan e-order", "Aula Disnakertrans dan Energi"),
    ("Bursa kerja (job fair) Jakarta", "Gedung Pusat Pelatihan Kerja Daerah"),
]
BUDGET = "5.1.02.01.01.0052 Belanja Makanan dan Minuman Rapat"
BUSINESSES = ["Dapur", "Katering", "Warung", "Rumah Makan", "Kedai"]
SNACKS = ["Aneka Kue", "Jajanan Pasar", "Snack Box"]
DRINKS = ["Minuman Segar", "Kopi dan Teh"]


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def _graduates(ctx):
    """Complete the e-order cohort through the programs services (attendance, then completion)."""
    admin = ctx.users["admin"]
    pending = list(
        Enrolment.objects.filter(
            cohort__course__track=services.EORDER_TRACK,
            cohort__course__level=services.EORDER_LEVEL,
            status=Enrolment.Status.ENROLLED,
        ).select_related("cohort")
    )
    for enr in pending:
        with clock.travel(_aware(enr.cohort.end_date, 16)):
            for session in range(1, enr.cohort.sessions + 1):
                program_services.attendance_record(actor=admin, enrolment=enr, session=session)
            program_services.enrolment_complete(actor=admin, enrolment=enr, on=enr.cohort.end_date)
    return list(
        level_graduates(track=services.EORDER_TRACK, level=services.EORDER_LEVEL)
        .select_related("person")
        .order_by("person_id")
    )


def _vendors(ctx, graduates):
    union = ctx.users["serikat.fspmi"]
    checker, approver = ctx.users["petugas.dki"], ctx.users["petugas2.dki"]
    agency = ctx.orgs["disnakertrans_dki"]
    vendors = []
    for i, enr in enumerate(graduates):
        person = enr.person
        kind = "catering" if i < 20 else ("snacks" if i < 26 else "drinks")
        first = person.name.split()[0]
        if kind == "catering":
            name = f"{BUSINESSES[i % len(BUSINESSES)]} {first}"
        elif kind == "snacks":
            name = f"{SNACKS[i % len(SNACKS)]} {first}"
        else:
            name = f"{DRINKS[i % len(DRINKS)]} {first}"
        with clock.travel(_aware(dt.date(2020, 10, 1) + dt.timedelta(days=i % 10), 9)):
            v = services.vendor_register(
                actor=union,
                person=person,
                agency=agency,
                business_name=name,
                kind=kind,
                address=f"Jl. Metal Raya No. {10 + i}, Jakarta Utara",
                delivery_area="Jakarta Utara, Jakarta Pusat" if i % 2 else "Seluruh DKI Jakarta",
                capacity_per_day=[120, 150, 200, 250, 300][i % 5],
                phone=person.phone or f"0812{7000000 + i * 1371:07d}",
                bank_name="Bank DKI",
                bank_account=f"{4010000000 + i * 7919}",
                account_holder=person.name,
                nib=f"{9120001000000 + i * 37}",
                pirt_number=f"P-IRT 2063172{i:04d}-25",
                pirt_expires=dt.date(2030, 10, 1),
                halal_number=f"ID31110000{i:05d}",
                # one halal certificate lapses at mid-year and is never renewed in the demo
                halal_expires=dt.date(YEAR, 6, 30) if i == 7 else dt.date(2030, 10, 1),
            )
            services.vendor_confirm_member(actor=union, vendor=v)
        with clock.travel(_aware(dt.date(2020, 10, 19), 10)):
            services.vendor_check(actor=checker, vendor=v)
        with clock.travel(_aware(dt.date(2020, 10, 20), 10)):
            services.vendor_approve(actor=approver, vendor=v)
        vendors.append(v)
    rows = []
    for i, v in enumerate(vendors):
        if v.kind == "catering":
            rows += [
                CatalogueItem(
                    vendor=v, kind="lunch", name="Nasi kotak ayam bakar", portion="nasi, ayam, sayur, buah",
                    price=Decimal(36000 + 1000 * (i % 12)),
                ),
                CatalogueItem(
                    vendor=v, kind="snack", name="Kue kotak rapat", portion="3 kue dan air mineral",
                    price=Decimal(14000 + 500 * (i % 8)),
                ),
            ]  # fmt: skip
            if i == 3:  # a premium box above the ceiling: listed, never ordered
                rows.append(
                    CatalogueItem(
                        vendor=v,
                        kind="lunch",
                        name="Nasi kotak premium",
                        portion="iga bakar",
                        price=Decimal(65000),
                    )
                )
        elif v.kind == "snacks":
            rows.append(
                CatalogueItem(
                    vendor=v,
                    kind="snack",
                    name="Snack box",
                    portion="4 kue",
                    price=Decimal(12000 + 1000 * (i % 4)),
                )
            )
        else:
            rows.append(
                CatalogueItem(
                    vendor=v,
                    kind="drink",
                    name="Teh/kopi dan air",
                    portion="1 gelas dan 1 botol",
                    price=Decimal(7000),
                )
            )
    CatalogueItem.objects.bulk_create(rows)
    return vendors


def _ceilings(ctx):
    setter = ctx.users["kadis.dki"]
    agency = ctx.orgs["disnakertrans_dki"]
    for kind, price in CEILINGS.items():
        PriceCeiling.objects.get_or_create(
            agency=agency,
            kind=kind,
            year=YEAR,
            defaults={"max_price": Decimal(price), "decree": DECREE, "set_by": setter},
        )


def _orders(ctx):
    officer, payer = ctx.users["petugas.dki"], ctx.users["petugas2.dki"]
    day = dt.date(YEAR, 1, 5)
    n = 0
    declined = shortfall = False
    while day.year == YEAR:
        if day.weekday() in (1, 3) and day.day != 31:  # Tuesdays and Thursdays
            n += 1
            activity, place = ACTIVITIES[n % len(ACTIVITIES)]
            unit = UNITS[n % len(UNITS)]
            people = 30 + (n * 17) % 90
            if n % 7 == 0:
                lines = {"drink": people}  # a coffee break
            elif n % 3 == 0:
                lines = {"snack": people}
            else:
                lines = {"lunch": people, "snack": people}
            with clock.travel(_aware(day - dt.timedelta(days=3), 9)):
                order = services.order_create(
                    actor=officer,
                    unit=unit,
                    activity=f"{activity} ({unit.split()[-1]})",
                    region_id="31",
                    deliver_at=_aware(day, 11, 30),
                    place=place,
                    budget_line=BUDGET,
                    lines=lines,
                )
                offer = services.order_confirm(actor=officer, order=order)
                if offer is None:
                    day += dt.timedelta(days=1)
                    continue
                if not declined and day.month == 3:
                    declined = True
                    services.offer_respond(
                        offer=offer, accept=False, reason="Dapur sedang renovasi minggu ini"
                    )
                    offer = Offer.objects.get(order=order, status=Offer.Status.OFFERED)
                services.offer_respond(offer=offer, accept=True)
            received = dict(lines)
            complaint = ""
            if not shortfall and day.month == 5 and "lunch" in lines:
                shortfall = True
                received["lunch"] -= 5
                complaint = "5 nasi kotak kurang; vendor meminta maaf, kekurangan tidak ditagihkan"
            with clock.travel(_aware(day, 14)):
                services.delivery_confirm(
                    actor=officer,
                    order=order,
                    received=received,
                    complaint=complaint,
                    delivered_at=_aware(day, 11, 20),
                )
                services.delivery_rate(actor=officer, order=order, rating=3 if complaint else 4 + (n % 2))
            paid = day + dt.timedelta(days=10 + n % 5)
            if paid.year == YEAR:  # December's last invoices stay open
                with clock.travel(_aware(paid, 10)):
                    services.invoice_pay(
                        actor=payer,
                        invoice=Order.objects.get(pk=order.pk).invoice,
                        reference=f"SP2D/{YEAR}/{n:04d}",
                    )
        day += dt.timedelta(days=1)
    return n


def _outside(ctx):
    officer = ctx.users["petugas2.dki"]
    for q, amount in enumerate([185_000_000, 162_500_000, 148_000_000, 171_250_000], start=1):
        with clock.travel(_aware(dt.date(YEAR, 3 * q, 28), 9)):
            services.outside_spend_record(
                actor=officer,
                year=YEAR,
                quarter=q,
                amount=Decimal(amount),
                source="Realisasi belanja makan minum rapat di luar e-order (SIPD, angka demo)",
            )


def load(ctx):
    agency = ctx.orgs.get("disnakertrans_dki")
    if agency is None or Vendor.objects.filter(agency=agency).exists():
        return
    graduates = _graduates(ctx)
    if not graduates:
        ctx.say("  E-order: no Jakpreneur e-order cohort (programs demo not loaded); skipped")
        return
    _ceilings(ctx)
    vendors = _vendors(ctx, graduates)
    n = _orders(ctx)
    _outside(ctx)
    ctx.say(f"  E-order: {len(vendors)} vendors from e-order graduates, {n} orders in {YEAR}")
