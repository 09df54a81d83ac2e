"""Member-list import: every bad row reported with its reason; commit all-or-nothing; re-import is a no-op."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from sinergi.core.models import AuditEntry, Job
from sinergi.registry import importer
from sinergi.registry.models import Employment, Person
from sinergi.unions.models import Membership, UnionBody
from tests.factories import EmployerFactory, UnionBodyFactory, make_nik

pytestmark = pytest.mark.django_db

HEADER = "NIK,Nama,Tempat Lahir,Tanggal Lahir,Jenis Kelamin,Kode Kecamatan,Alamat,No HP,Pekerjaan,Status Pekerjaan,Upah,No Anggota"


def good_rows(n=3, start=100):
    rows = []
    for i in range(n):
        birth = dt.date(1985, 1 + i % 12, 1 + i % 28)
        sex = "P" if i % 2 else "L"
        nik = make_nik("317205", birth, "F" if sex == "P" else "M", serial=start + i)
        rows.append(
            f"{nik},Pekerja Impor {i},Jakarta,{birth.isoformat()},{sex},317205,Jl. Uji {i},0812-3456-{7000 + i},"
            f"Operator Mesin,formal,5396761,FSPMI-{start + i:07d}"
        )
    return rows


BAD_ROWS = [
    # (row text, the reason the report must give)
    ("3172053002000001,Salah Tanggal,,,L,,,,,,,", "NIK: tanggal lahir 30-02-2000 tidak valid."),
    ("317205520390000,Lima Belas,,,P,,,,,,,", "NIK hanya 15 digit: terlalu pendek (NIK 16 digit)."),
    (
        "3172055203900002,Salah Kelamin,,1990-03-12,L,,,,,,,",
        "NIK berisi jenis kelamin perempuan tetapi yang diisi laki-laki.",
    ),
    (
        "3172055203900003,Salah Lahir,,1990-03-13,P,,,,,,,",
        "NIK berisi tanggal lahir 12-03-1990 tetapi yang diisi 13-03-1990.",
    ),
    (
        "9999995203900001,Kode Asing,,,P,,,,,,,",
        "NIK: kode kecamatan 999999 tidak ada dalam daftar Kemendagri.",
    ),
    ("3172055203900004,,,,P,,,,,,,", "Nama wajib diisi."),
    ("3172055203900005,Telepon Aneh,,,P,,,12345,,,,", "No HP 12345 bukan nomor Indonesia."),
    ("3172055203900006,Upah Aneh,,,P,,,,,,lima juta,", "Upah lima juta bukan angka rupiah bulat."),
    (
        "3172055203900007,Upah Raksasa,,,P,,,,,,10000000000000000,",
        "Upah 10000000000000000 melebihi jumlah terbesar yang disimpan Sinergi "
        "(paling banyak Rp 1.000.000.000.000.000).",
    ),
]


def csv_bytes(rows):
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def puk():
    employer = EmployerFactory(name="PT Uji Logam")
    dpw = UnionBodyFactory(name="DPW Uji", kind="unit")
    return UnionBodyFactory(name="PUK Uji", kind="unit", parent=dpw, employer=employer)


def run(data, filename, *, body=None, actor=None, mode="validate", strict=False, language="en", mapping=None):
    from django.core.files.base import ContentFile

    from sinergi.registry.services import registry_import_start

    with TestCase.captureOnCommitCallbacks(execute=True):
        job = registry_import_start(
            actor=actor,
            upload=ContentFile(data, name=filename),
            language=language,
            filename=filename,
            body=body,
            mode=mode,
            strict=strict,
            mapping=mapping,
        )
    job.refresh_from_db()
    return job


def test_validation_reports_every_bad_row_with_its_reason():
    frame = importer.read_table(csv_bytes(good_rows(2) + [r for r, _ in BAD_ROWS]), "anggota.csv")
    result = importer.validate(frame, today=dt.date(2026, 11, 23))
    assert result.total == 2 + len(BAD_ROWS)
    assert result.valid.height == 2
    reasons = dict(zip(result.rejected["row"].to_list(), result.rejected["reasons"].to_list(), strict=True))
    for offset, (_row, reason) in enumerate(BAD_ROWS):
        assert reason in reasons[4 + offset], (offset, reasons[4 + offset])


def test_validation_in_english():
    frame = importer.read_table(csv_bytes([BAD_ROWS[0][0]]), "x.csv")
    result = importer.validate(frame, language="en", today=dt.date(2026, 11, 23))
    assert result.rejected["reasons"][0] == "NIK: birth date 30-02-2000 is not a real date."


def test_a_row_pasted_twice_imports_the_first_and_reports_the_copy():
    row = good_rows(1)[0]
    frame = importer.read_table(csv_bytes([row, row]), "x.csv")
    result = importer.validate(frame, language="en")
    assert result.valid.height == 1 and result.valid["row"].to_list() == [2]
    assert result.rejected.height == 0
    assert result.skipped.to_dicts() == [
        {"row": 3, "ref": "", "reason": "duplicate of row 2 (identical)", "text": "Pekerja Impor 0"}
    ]


def test_same_person_with_other_details_imports_the_first_and_refuses_the_later():
    row = good_rows(1)[0]
    frame = importer.read_table(csv_bytes([row, row.replace("FSPMI-0000100", "FSPMI-0000999")]), "x.csv")
    result = importer.validate(frame)
    assert result.valid["row"].to_list() == [2]
    assert result.rejected["reasons"][0] == (
        "Orang yang sama dengan baris 2 (NIK sama) tetapi data lainnya berbeda: baris 2 yang diimpor; "
        "perbaiki atau hapus baris ini."
    )


def test_a_nik_reused_for_another_person_is_refused_on_both_rows():
    row = good_rows(1)[0]
    frame = importer.read_table(csv_bytes([row, row.replace("Pekerja Impor 0", "Orang Lain")]), "x.csv")
    result = importer.validate(frame, language="en")
    assert result.valid.height == 0
    assert result.rejected["row"].to_list() == [2, 3]
    assert set(result.rejected["reasons"]) == {
        "The same NIK is on rows 2, 3 with a different name, birth date or sex: check which is right."
    }


def test_header_variants_semicolons_and_xlsx():
    wb = Workbook()
    ws = wb.active
    ws.append(["No. KTP", "Nama Lengkap", "Tgl Lahir", "JK", "Telepon", "Alamat"])
    ws.append(
        [make_nik(serial=501), "Siti Aminah", dt.datetime(1990, 3, 12), "L", "+62 812 1111 2222", "Jl. A"]
    )
    ws.append([make_nik(birth=dt.date(1991, 5, 6), serial=502), "Dewi", "06/05/1991", "L", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    result = importer.validate(importer.read_table(buf.getvalue(), "anggota.xlsx"))
    assert result.valid.height == 2
    assert result.mapping["nik"] == "No. KTP" and result.mapping["sex"] == "JK"
    assert result.valid["phone"].to_list() == ["+6281211112222", ""]
    semi = (HEADER.replace(",", ";") + "\n" + good_rows(1)[0].replace(",", ";") + "\n").encode()
    assert importer.validate(importer.read_table(semi, "a.csv")).valid.height == 1


def test_vulnerable_flag_from_the_rule_tables():
    rows = [
        f"{make_nik('337501', serial=801)},Becak,,,L,337501,,,Pengayuh Becak,informal,1500000,",
        f"{make_nik('337501', serial=802)},Murah,,,L,337501,,,Pedagang,informal,900000,",
        f"{make_nik('337501', serial=803)},Formal,,,L,337501,,,Buruh Pabrik,formal,900000,",
    ]
    valid = importer.validate(importer.read_table(csv_bytes(rows), "x.csv")).valid
    assert valid["is_vulnerable"].to_list() == [True, True, False]
    assert valid["vulnerable_reason"][0] == "pekerjaan tercantum: pengayuh becak"
    assert valid["vulnerable_reason"][1] == "informal, penghasilan ≤ Rp1.000.000"


def test_commit_writes_valid_rows_memberships_employment_and_counts(puk, agency_officer):
    job = run(
        csv_bytes(good_rows(3) + [BAD_ROWS[0][0]]),
        "anggota.csv",
        body=puk,
        actor=agency_officer,
        mode="commit",
    )
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["written"]["people_created"] == 3 and job.result["rejected"] == 1
    assert (job.done, job.failed, job.total) == (3, 1, 4)
    assert Person.objects.count() == 3
    assert Membership.objects.filter(body=puk, status="active", verified=True).count() == 3
    assert Employment.objects.filter(employer=puk.employer, wage=5396761).count() == 3
    puk.refresh_from_db()
    dpw = UnionBody.objects.get(pk=puk.parent_id)
    assert (puk.member_count, puk.member_count_rollup, dpw.member_count, dpw.member_count_rollup) == (
        3,
        3,
        0,
        3,
    )
    person = Person.objects.get(name="Pekerja Impor 1")
    assert person.sex == "F" and person.phone == "+6281234567001" and person.name_key == "pekerja impor"
    assert AuditEntry.objects.filter(action="import").count() == 1
    assert job.input_file.name and job.result_file.name  # original kept; report of the rejected row


def test_reimport_of_the_same_file_changes_nothing(puk, agency_officer):
    data = csv_bytes(good_rows(4))
    run(data, "a.csv", body=puk, actor=agency_officer, mode="commit")
    before_people = list(Person.objects.order_by("pk").values_list("pk", "updated_at"))
    before_members = list(Membership.objects.order_by("pk").values_list("pk", "updated_at", "member_number"))
    before_jobs = list(Employment.objects.order_by("pk").values_list("pk", "updated_at"))
    puk.refresh_from_db()
    body_updated = puk.updated_at
    again = run(data, "a.csv", body=puk, actor=agency_officer, mode="commit")
    assert again.result["written"] == {
        "rows": 4,
        "people_created": 0,
        "people_updated": 0,
        "memberships_created": 0,
        "memberships_updated": 0,
        "employments_created": 0,
        "employments_updated": 0,
        "employers_created": 0,
    }
    assert list(Person.objects.order_by("pk").values_list("pk", "updated_at")) == before_people
    assert (
        list(Membership.objects.order_by("pk").values_list("pk", "updated_at", "member_number"))
        == before_members
    )
    assert list(Employment.objects.order_by("pk").values_list("pk", "updated_at")) == before_jobs
    puk.refresh_from_db()
    assert puk.updated_at == body_updated and puk.member_count == 4


def test_reimport_with_a_changed_row_updates_only_that_row(puk, agency_officer):
    rows = good_rows(2)
    run(csv_bytes(rows), "a.csv", body=puk, actor=agency_officer, mode="commit")
    rows[1] = rows[1].replace("Jl. Uji 1", "Jl. Baru 1")
    job = run(csv_bytes(rows), "a.csv", body=puk, actor=agency_officer, mode="commit")
    assert job.result["written"]["people_updated"] == 1 and job.result["written"]["people_created"] == 0
    assert Person.objects.get(name="Pekerja Impor 1").address == "Jl. Baru 1"


def test_strict_import_with_errors_writes_nothing(puk, agency_officer):
    job = run(
        csv_bytes(good_rows(2) + [BAD_ROWS[1][0]]),
        "a.csv",
        body=puk,
        actor=agency_officer,
        mode="commit",
        strict=True,
    )
    assert job.status == Job.Status.SUCCEEDED and job.result["committed"] is False
    assert Person.objects.count() == 0 and Membership.objects.count() == 0
    assert not AuditEntry.objects.filter(action="import").exists()


def test_failure_during_commit_rolls_everything_back(puk, agency_officer, monkeypatch):
    import sinergi.registry.importer as importer

    def boom(**kwargs):
        raise RuntimeError("disk full")

    # the importer's own name for unions' member_counts_recompute (imported at its module level)
    monkeypatch.setattr(importer, "member_counts_recompute", boom)
    job = run(csv_bytes(good_rows(3)), "a.csv", body=puk, actor=agency_officer, mode="commit")
    assert job.status == Job.Status.FAILED and "disk full" in job.error
    assert Person.objects.count() == 0 and Membership.objects.count() == 0 and Employment.objects.count() == 0


def test_one_union_per_company_rows_rejected(puk, agency_officer):
    other = UnionBodyFactory(name="Serikat Lain", kind="union", employer=puk.employer)
    row = good_rows(1)[0]
    run(csv_bytes([row]), "a.csv", body=other, actor=agency_officer, mode="commit")
    job = run(csv_bytes([row]), "a.csv", body=puk, actor=agency_officer, mode="commit")
    assert job.result["rejected"] == 1
    assert "UU 21/2000 Art. 14" in job.result["rejected_preview"][0]["reasons"]
    assert Membership.objects.filter(body=puk).count() == 0


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"%PDF-1.4 nothing", "list.pdf", "Upload an .xlsx or .csv file"),
        (b"PK\x03\x04garbage-not-a-zip", "list.xlsx", "cannot be opened"),
        (b"", "list.csv", "empty"),
        (HEADER.encode() + b"\n", "list.csv", "no rows"),
        ("NIK,Nama\n3172055203900001,Bambang Sutédjo\n".encode("cp1252"), "list.csv", "not UTF-8"),
        (b"Nama,Alamat\nBudi,Jl. A\n", "list.csv", "Required column(s) missing: NIK"),
        (b"old excel", "list.xls", ".xls"),
    ],
)
def test_unreadable_files_give_a_clear_message_and_write_nothing(agency_officer, data, filename, message):
    job = run(data or b" ", filename, actor=agency_officer, mode="commit")
    assert job.status == Job.Status.FAILED
    assert message in job.error, job.error
    assert Person.objects.count() == 0


def test_oversize_file_is_refused(agency_officer, settings):
    settings.SINERGI_MAX_UPLOAD_MB = 0
    job = run(csv_bytes(good_rows(1)), "a.csv", actor=agency_officer, mode="commit")
    assert job.status == Job.Status.FAILED and "limit is 0 MB" in job.error
    assert Person.objects.count() == 0


def test_two_step_import_through_the_pages(client, make_user, password):
    employer = EmployerFactory()
    dpw = UnionBodyFactory(name="DPW Halaman", kind="unit")
    puk = UnionBodyFactory(name="PUK Halaman", kind="unit", parent=dpw, employer=employer)
    official = make_user("union_official", union_body=dpw)
    client.login(username=official.username, password=password)
    upload = SimpleUploadedFile(
        "anggota.csv", csv_bytes(good_rows(2) + [BAD_ROWS[0][0]]), content_type="text/csv"
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/registry/import/", {"file": upload, "body": puk.pk}, HTTP_ACCEPT_LANGUAGE="id"
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "NIK: tanggal lahir 30-02-2000 tidak valid." in page
    assert Person.objects.count() == 0
    validate_job = Job.objects.get(kind="registry.import")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/registry/import/{validate_job.pk}/commit/")
    assert response.status_code == 302
    assert Person.objects.count() == 2
    dpw.refresh_from_db()
    assert dpw.member_count_rollup == 2
    assert client.get("/registry/import/template/").status_code == 200
    report = client.get(reverse("core:job_result", args=[validate_job.pk]))
    assert report.status_code == 200


def test_validation_of_a_multi_chunk_frame_with_bad_rows():
    import polars as pl

    first = importer.read_table(csv_bytes(good_rows(3)), "a.csv")
    second = importer.read_table(
        csv_bytes([BAD_ROWS[0][0], BAD_ROWS[1][0]] + good_rows(2, start=300)), "b.csv"
    )
    frame = pl.concat([first, second], rechunk=False)
    assert frame.n_chunks() > 1
    result = importer.validate(frame, language="en")
    assert result.valid.height == 5 and result.rejected.height == 2
