"""Demo: the meetings of the articles with their speakers and the commitments voiced there, the North
Jakarta branch's yearly union discussions, and the Jember obstacle report raised at Ngopi Bareng.
Officials named in the articles appear only as speakers; every login and case is invented."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sinergi.aspirations import services as aspiration_services
from sinergi.core import clock
from sinergi.meetings.models import Attendance, Commitment, CommitmentEvent, Meeting, Speaker
from sinergi.notifications.services import quiet

SENTINEL = "Pertemuan Wakil Gubernur DKI Jakarta dengan DPW FSPMI DKI Jakarta"


def _at(y, m, d, h=9, minute=0):
    return timezone.make_aware(dt.datetime(y, m, d, h, minute))


def _meeting(
    ctx,
    *,
    kind,
    title,
    organiser,
    region,
    starts,
    hours,
    place,
    description,
    invited,
    bodies,
    minutes="",
    status=Meeting.Status.HELD,
    speakers=(),
    attendance=(),
    commitments=(),
):
    m = Meeting.objects.create(
        kind=kind,
        title=title,
        organiser=ctx.orgs[organiser],
        region_id=region,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=hours),
        place=place,
        description=description,
        status=status,
        minutes=minutes,
        created_by=ctx.users.get("petugas.dki"),
    )
    m.invited_organisations.set([ctx.orgs[k] for k in invited])
    m.union_bodies.set([ctx.union_bodies[k] for k in bodies if k in ctx.union_bodies])
    Speaker.objects.bulk_create(
        [Speaker(meeting=m, name=n, position=p, remarks=r, order=i) for i, (n, p, r) in enumerate(speakers)]
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=m, organisation=ctx.orgs.get(o), name=n, headcount=c) for o, n, c in attendance]
    )
    rows = []
    for text, owner, voiced_by, due, status_, done in commitments:
        rows.append(
            Commitment(
                meeting=m,
                description=text,
                owner=ctx.orgs[owner],
                voiced_by=voiced_by,
                due_date=due,
                status=status_,
                done_on=done,
            )
        )
    created = Commitment.objects.bulk_create(rows)
    CommitmentEvent.objects.bulk_create(
        [CommitmentEvent(commitment=c, to_status=c.status, at=starts) for c in created]
    )
    return m


@transaction.atomic
def load(ctx):
    if Meeting.objects.filter(title=SENTINEL).exists():
        ctx.say("  meetings already loaded")
        return
    today = clock.today()
    D, IP, OPEN = Commitment.Status.DONE, Commitment.Status.IN_PROGRESS, Commitment.Status.OPEN
    _meeting(
        ctx,
        kind=Meeting.Kind.COORDINATION,
        title=SENTINEL,
        organiser="pemprov_dki",
        region="31",
        starts=_at(2020, 8, 7, 10),
        hours=2,
        place="Ruang Rapat Wakil Gubernur, Balai Kota DKI Jakarta",
        description="Kemitraan Pemprov DKI dan serikat pekerja untuk kesejahteraan pekerja di masa pandemi COVID-19.",
        invited=["dpw_fspmi_dki", "disnakertrans_dki"],
        bodies=["dpw_fspmi_dki"],
        minutes=(
            "Wagub meminta serikat berkoordinasi langsung dengan dinas terkait agar aktif dalam program, dan "
            "meminta masukan langsung maupun tidak langsung. Kadisnakertrans menyampaikan Jakpreneur, rencana "
            "pelatihan e-order (tertunda karena COVID-19), Koperasi Metal Maju Bersama (diluncurkan Agustus 2019), "
            "target 23.000 KPJ pada 2020, dan penyusunan program 2021 yang melibatkan Tim P3KP. Bantuan langsung "
            "kepada pekerja tidak dikurangi meskipun anggaran dipangkas."
        ),
        speakers=[
            (
                "Ahmad Riza Patria",
                "Wakil Gubernur Provinsi DKI Jakarta",
                "Silahkan bisa langsung koordinasi dengan dinas terkait … kami membutuhkan masukan baik langsung "
                "maupun tidak langsung.",
            ),
            (
                "Andri Yansyah",
                "Kepala Dinas Tenaga Kerja, Transmigrasi dan Energi Provinsi DKI Jakarta",
                "Setiap program yang kami susun dipastikan melibatkan Tim P3KP.",
            ),
        ],
        attendance=[
            ("dpw_fspmi_dki", "Pengurus DPW FSPMI DKI Jakarta", 8),
            ("disnakertrans_dki", "Disnakertrans", 3),
        ],
        commitments=[
            (
                "Libatkan serikat pekerja dalam setiap program 2021 melalui Tim P3KP",
                "disnakertrans_dki",
                "Andri Yansyah",
                dt.date(2020, 12, 31),
                D,
                dt.date(2020, 11, 30),
            ),
            (
                "Tingkatkan alumni Jakpreneur ke pelatihan e-order setelah COVID-19 terkendali",
                "disnakertrans_dki",
                "Andri Yansyah",
                dt.date(2021, 12, 31),
                IP,
                None,
            ),
            (
                "Koordinasi langsung dengan dinas terkait dan sampaikan masukan program",
                "dpw_fspmi_dki",
                "Ahmad Riza Patria",
                dt.date(2020, 9, 30),
                D,
                dt.date(2020, 9, 15),
            ),
        ],
    )
    may_day = _meeting(
        ctx,
        kind=Meeting.Kind.MAY_DAY,
        title="Peringatan Hari Buruh Internasional (May Day) 2024 Jakarta Utara",
        organiser="bpjs_cilincing",
        region="3172",
        starts=_at(2024, 5, 1, 8),
        hours=4,
        place="GOR Rawa Badak, Rawa Badak Selatan, Koja, Jakarta Utara",
        description="May Day bersama ribuan buruh Jakarta Utara, Pemkot dan LKS Tripartit.",
        invited=["pemkot_jakut", "lks_jakut", "dpw_fspmi_dki"],
        bodies=["dpw_fspmi_dki"],
        minutes=(
            "BPJS Ketenagakerjaan Jakarta Utara membagikan 580 paket sembako kepada perwakilan serikat buruh dan "
            "menyerahkan santunan JKK, JHT, JP dan beasiswa kepada dua keluarga ahli waris (Rp974.549.826 dan "
            "Rp911.074.260). Pemkot bersama LKS Tripartit siap menampung segala aspirasi buruh."
        ),
        speakers=[
            (
                "Haryani Rotua Melasari",
                "Kepala Kantor Cabang BPJAMSOSTEK Jakarta Cilincing",
                "Secara periodik kami selalu berdiskusi dengan teman-teman buruh, minimal setahun sekali.",
            ),
            (
                "Ali Maulana Hakim",
                "Wali Kota Administrasi Jakarta Utara",
                "Pemkot bersama LKS Tripartit siap menampung segala aspirasi buruh untuk didiskusikan dan "
                "direalisasikan sesuai kapasitasnya.",
            ),
        ],
        attendance=[("dpw_fspmi_dki", "Buruh dan perwakilan serikat se-Jakarta Utara", 1000)],
        commitments=[
            (
                "Tampung aspirasi buruh di LKS Tripartit dan bahas dalam sidang berikutnya",
                "lks_jakut",
                "Ali Maulana Hakim",
                dt.date(2024, 7, 31),
                D,
                dt.date(2024, 7, 25),
            ),
            (
                "Tangani setiap persoalan keanggotaan dan pelayanan yang dilaporkan serikat",
                "bpjs_cilincing",
                "Haryani Rotua Melasari",
                dt.date(2024, 12, 31),
                D,
                dt.date(2025, 1, 20),
            ),
        ],
    )
    # the branch's periodic discussions with unions, at least once a year
    for year in range(2021, today.year + 1):
        starts = _at(year, 3, 12, 9)
        if starts.date() > today:
            break
        _meeting(
            ctx,
            kind=Meeting.Kind.SS_UNION,
            title=f"Diskusi berkala BPJAMSOSTEK Jakarta Cilincing dengan serikat buruh {year}",
            organiser="bpjs_cilincing",
            region="3172",
            starts=starts,
            hours=3,
            place="Kantor Cabang BPJAMSOSTEK Jakarta Cilincing",
            description="Persoalan keanggotaan dan pelayanan dari serikat buruh Jakarta Utara.",
            invited=["dpw_fspmi_dki", "lks_jakut"],
            bodies=["dpw_fspmi_dki"],
            minutes="Serikat menyampaikan kendala kepesertaan; cabang mencatat dan menindaklanjuti.",
            attendance=[("dpw_fspmi_dki", "Pengurus serikat", 12)],
            commitments=[
                (
                    f"Laporan tindak lanjut persoalan kepesertaan {year}",
                    "bpjs_cilincing",
                    "",
                    dt.date(year, 6, 30),
                    D if year < today.year else IP,
                    dt.date(year, 6, 20) if year < today.year else None,
                ),
            ],
        )
    ngopi = _meeting(
        ctx,
        kind=Meeting.Kind.NGOPI_BARENG,
        title="Ngopi Bareng Bupati Jember bersama serikat pekerja",
        organiser="pemkab_jember",
        region="3509",
        starts=_at(2024, 6, 20, 9),
        hours=3,
        place="Aula Gedung Utama Sevendream City, Jalan Slamet Riyadi, Jember",
        description="Pertemuan informal Pemkab Jember dengan organisasi dan serikat pekerja di Jember.",
        invited=["pc_kerahbiru_jember", "disnaker_jember"],
        bodies=["pc_kerahbiru_jember"],
        minutes=(
            "Bupati mendukung program Serikat Pekerja Kerah Biru di sektor informal, terutama kepesertaan jaminan "
            "sosial yang dipadukan dengan J-Keren Gratis, dan meminta kendala birokrasi segera dilaporkan."
        ),
        speakers=[
            (
                "Hendy Siswanto",
                "Bupati Jember",
                "Jika ada kendala dalam birokrasi, segera laporkan; Pemkab siap memberi kemudahan.",
            ),
            (
                "Eko Sugiarto",
                "Sekretaris PC FSP Kerah Biru-SPSI Kabupaten Jember",
                "Ngopi Bareng mendekatkan pemerintah dengan pekerja dalam suasana yang tidak begitu formal.",
            ),
        ],
        attendance=[("pc_kerahbiru_jember", "Pengurus PC FSP Kerah Biru-SPSI Jember", 6)],
        commitments=[
            (
                "Laporkan segera setiap kendala birokrasi kepada Pemkab Jember",
                "pc_kerahbiru_jember",
                "Hendy Siswanto",
                dt.date(2024, 7, 31),
                D,
                dt.date(2024, 7, 10),
            ),
            (
                "Padukan kepesertaan jaminan sosial pekerja informal dengan J-Keren Gratis",
                "disnaker_jember",
                "Hendy Siswanto",
                dt.date(2024, 12, 31),
                IP,
                None,
            ),
            (
                "Permudah pengajuan program FSP Kerah Biru-SPSI yang bermanfaat bagi pekerja",
                "pemkab_jember",
                "Hendy Siswanto",
                dt.date(2024, 9, 30),
                OPEN,
                None,
            ),
        ],
    )
    upcoming = today + dt.timedelta(days=10)
    _meeting(
        ctx,
        kind=Meeting.Kind.COORDINATION,
        title="Rapat koordinasi Tim P3KP dengan serikat pekerja",
        organiser="disnakertrans_dki",
        region="31",
        starts=_at(upcoming.year, upcoming.month, upcoming.day, 13),
        hours=2,
        place="Kantor Disnakertrans dan Energi DKI Jakarta",
        description="Penyusunan program kesejahteraan pekerja tahun depan.",
        invited=["dpw_fspmi_dki", "bpjs_cilincing"],
        bodies=["dpw_fspmi_dki"],
        status=Meeting.Status.PLANNED,
    )
    # the obstacle the regent asked to hear about at once, filed after Ngopi Bareng
    with quiet():
        a = aspiration_services.aspiration_file(
            actor=ctx.users["serikat.kerahbiru"],
            title="Pengajuan jaminan sosial Pokja nelayan tertahan di tingkat desa",
            description="Disampaikan setelah Ngopi Bareng: surat keterangan desa untuk 35 nelayan belum terbit.",
            category="bureaucracy",
            region_id="3509",
            source_meeting=ngopi,
            received_on=today - dt.timedelta(days=2),
        )
        aspiration_services.aspiration_acknowledge(actor=ctx.users["petugas.jember"], aspiration=a)
    ctx.say(
        f"  {Meeting.objects.count()} meetings (May Day {may_day.starts_at:%Y}), {Commitment.objects.count()} commitments"
    )
