"""Demo: aspirations from the unions of the articles in every state, escalation onto the agenda of the
LKS Tripartit Jakarta Utara, one session with a decision and an outcome. Invented cases and people."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sinergi.aspirations import services
from sinergi.aspirations.defaults import ensure_defaults
from sinergi.aspirations.models import AgendaItem, Aspiration, AspirationEvent
from sinergi.core import clock
from sinergi.notifications.services import quiet

SENTINEL = "Saldo JHT anggota PUK tidak sesuai setelah pindah perusahaan"

# title, category, filer username, region, days ago received, steps, description
CASES = [
    (
        SENTINEL,
        "social_security",
        "serikat.fspmi",
        "3172",
        75,
        ["ack", "answer", "close5"],
        "Tiga anggota PUK di Cilincing melaporkan saldo JHT dari perusahaan lama belum tergabung.",
    ),
    (
        "Pendaftaran BPU pekerja harian lepas pelabuhan tertunda",
        "social_security",
        "serikat.fspmi",
        "3172",
        9,
        ["ack", "answer"],
        "Pendaftaran pekerja bukan penerima upah (bongkar muat harian) belum diproses sejak awal bulan.",
    ),
    (
        "Surat rekomendasi pendirian koperasi cabang KMMB tertahan di kelurahan",
        "bureaucracy",
        "serikat.fspmi",
        "3172",
        30,
        ["ack"],
        "Permohonan rekomendasi untuk unit koperasi Metal Maju Bersama di Koja belum dijawab kelurahan.",
    ),
    (
        "Upah lembur belum dibayar penuh di sebuah pabrik logam di Marunda",
        "industrial",
        "serikat.fspmi",
        "3172",
        60,
        [],
        "Perundingan bipartit sudah dua kali tanpa kesepakatan; serikat meminta fasilitasi dinas.",
    ),
    (
        "Usulan pelatihan e-order lanjutan bagi alumni Jakpreneur",
        "program",
        "serikat.fspmi",
        "3172",
        40,
        ["ack", "answer", "reopen"],
        "Alumni Jakpreneur anggota FSPMI siap naik ke pelatihan e-order sesuai rencana program 2021.",
    ),
    (
        "Permintaan data penerima Kartu Pekerja Jakarta per PUK",
        "other",
        "serikat.fspmi",
        "3172",
        1,
        [],
        "Serikat ingin memastikan anggota yang memenuhi syarat sudah menerima KPJ.",
    ),
    (
        "Integrasi J-Keren Gratis dengan kepesertaan BPU pekerja informal",
        "program",
        "serikat.kerahbiru",
        "3509",
        20,
        ["ack", "answer"],
        "Pokja nelayan meminta kejelasan alur pendaftaran jaminan sosial bersama J-Keren.",
    ),
    (
        "Sosialisasi BPJS Ketenagakerjaan untuk pekerja rentan Kabupaten Pekalongan",
        "program",
        "bpjs.pekalongan",
        "3326",
        3,
        [],
        "Dicatat dari telepon: kelompok pembatik rumahan minta sosialisasi; belum ada dinas penanggung jawab.",
    ),
]


def _backdate(aspiration, received: dt.date, offsets_days: list[int]):
    start = timezone.make_aware(dt.datetime.combine(received, dt.time(9, 0)))
    events = list(aspiration.events.order_by("at", "id"))
    for i, event in enumerate(events):
        days = offsets_days[i] if i < len(offsets_days) else offsets_days[-1] if offsets_days else 0
        event.at = start + dt.timedelta(days=days, hours=i)
    AspirationEvent.objects.bulk_update(events, ["at"])
    stamp = {e.kind: e.at for e in events}
    Aspiration.objects.filter(pk=aspiration.pk).update(
        created_at=start,
        acknowledged_at=stamp.get("acknowledged") or stamp.get("answered")
        if aspiration.acknowledged_at
        else None,
        answered_at=stamp.get("answered") if aspiration.answered_at else None,
        closed_at=stamp.get("closed") if aspiration.closed_at else None,
    )


@transaction.atomic
def load(ctx):
    if Aspiration.objects.filter(title=SENTINEL).exists():
        ctx.say("  aspirations already loaded")
        return
    ensure_defaults()
    today = clock.today()
    users = ctx.users
    responder = {"3172": users["petugas.dki"], "3509": users["petugas.jember"]}
    ss_responder = {"3172": users["bpjs.cilincing"]}
    made = []
    with quiet():
        for title, category, filer, region, ago, steps, description in CASES:
            received = today - dt.timedelta(days=ago)
            a = services.aspiration_file(
                actor=users[filer],
                title=title,
                description=description,
                category=category,
                region_id=region,
                received_on=received,
            )
            who = (ss_responder if category == "social_security" else responder).get(region)
            for step in steps:
                if step == "ack":
                    services.aspiration_acknowledge(actor=who, aspiration=a)
                elif step == "answer":
                    services.aspiration_answer(
                        actor=who,
                        aspiration=a,
                        answer="Sudah ditindaklanjuti; rincian disampaikan ke pengurus serikat.",
                    )
                elif step == "close5":
                    services.aspiration_close(
                        actor=users[filer], aspiration=a, rating=5, comment="Ditangani dengan baik."
                    )
                elif step == "reopen":
                    services.aspiration_reopen(
                        actor=users[filer], aspiration=a, reason="Jadwal pelatihan belum diumumkan."
                    )
            _backdate(a, received, [0, 0, 1, 3, 5, 5, 6][: a.events.count()])
            made.append(a)
        # overdue cases go up to the agency head and onto the tripartite agenda, as the daily job does
        result = services.aspirations_escalate(today=today)
        lks = ctx.orgs["lks_jakut"]
        secretary = users["tripartit.jakut"]
        held = services.session_create(
            actor=secretary,
            body=lks,
            date=today - dt.timedelta(days=7),
            place="Ruang rapat Kantor Wali Kota Administrasi Jakarta Utara",
        )
        upcoming = services.session_create(
            actor=secretary,
            body=lks,
            date=today + dt.timedelta(days=21),
            place="Ruang rapat Kantor Wali Kota Administrasi Jakarta Utara",
        )
        items = sorted(
            AgendaItem.objects.filter(body=lks).select_related("aspiration"),
            key=lambda i: (i.aspiration is None or i.aspiration.category != "industrial", i.pk),
        )
        for n, item in enumerate(items):
            if n == 0:
                services.agenda_item_schedule(actor=secretary, item=item, session=held)
                services.agenda_item_decide(
                    actor=secretary,
                    item=item,
                    decision="Sudin Nakertrans memfasilitasi mediasi; perusahaan diundang dalam 7 hari kerja.",
                )
                services.agenda_item_close(
                    actor=secretary,
                    item=item,
                    outcome="Mediasi menghasilkan kesepakatan pembayaran upah lembur dalam dua termin.",
                )
            else:
                services.agenda_item_schedule(actor=secretary, item=item, session=upcoming)
        services.session_mark_held(actor=secretary, session=held, notes="Sidang LKS Tripartit triwulanan.")
    ctx.say(
        f"  {len(made)} aspirations, {result['escalated']} escalated, {len(items)} on the LKS Tripartit agenda"
    )
