"""A union official imports a member list with bad rows, reads the report, commits the valid rows, and
the member counts of their body and its parents update."""

import datetime as dt

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def _nik(district, birth, sex, serial):
    day = birth.day + (40 if sex == "F" else 0)
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def test_a_union_official_imports_a_member_list_with_bad_rows_and_the_counts_update(
    demo_personas, logged_in_page, server_url, job_worker
):
    from sinergi.registry.models import Employer
    from sinergi.unions.services import union_body_create

    dpw = demo_personas.union_bodies["dpw_fspmi_dki"]
    employer = Employer.objects.create(name="PT Uji Logam Marunda", region_id="3172")
    kc = union_body_create(
        actor=None, name="KC FSPMI Jakarta Utara (uji)", kind="unit", parent=dpw, region_id="3172"
    )
    puk = union_body_create(
        actor=None, name="PUK SPL Uji Logam", kind="unit", parent=kc, region_id="3172", employer=employer
    )
    rows = [
        "NIK,Nama,Tanggal Lahir,Jenis Kelamin,No HP,No Anggota",
        f"{_nik('317203', dt.date(1988, 4, 9), 'M', 7101)},Sutrisno Wibowo,1988-04-09,L,0812-1111-2222,FSPMI-7101",
        f"{_nik('317205', dt.date(1992, 11, 23), 'F', 7102)},Rina Marlina,23-11-1992,P,081233334444,FSPMI-7102",
        "3172053002000001,Tanggal Mustahil,,L,,FSPMI-7103",
    ]
    page = logged_in_page("serikat.fspmi")
    page.goto(server_url("registry:union_body_detail", pk=puk.pk))
    expect(page.get_by_test_id("member-count")).to_have_text("0")
    page.get_by_test_id("import-members").click()
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "anggota.csv", "mimeType": "text/csv", "buffer": ("\n".join(rows) + "\n").encode()}],
    )
    page.get_by_test_id("import-validate").click()
    expect(page.get_by_test_id("rows-rejected")).to_have_text("1", timeout=20_000)
    expect(page.get_by_test_id("rows-valid")).to_have_text("2")
    expect(page.get_by_test_id("rejected-table")).to_contain_text(
        "NIK: tanggal lahir 30-02-2000 tidak valid."
    )
    expect(page.get_by_test_id("report-download")).to_be_visible()
    page.get_by_test_id("import-commit").click()
    expect(page.get_by_test_id("import-committed")).to_be_visible(timeout=20_000)
    page.get_by_test_id("to-body").click()
    expect(page.get_by_test_id("member-count")).to_have_text("2")
    expect(page.get_by_test_id("member-table")).to_contain_text("Rina Marlina")
    page.goto(server_url("registry:union_body_detail", pk=kc.pk))
    expect(page.get_by_test_id("member-count-rollup")).to_have_text("2")
    page.goto(server_url("registry:union_body_detail", pk=dpw.pk))
    expect(page.get_by_test_id("member-count-rollup")).to_have_text("2")


def test_a_union_official_uploads_a_hand_kept_excel_list_as_it_is_and_every_row_is_accounted_for(
    demo_personas, logged_in_page, server_url, job_worker
):
    """The corpus file with a title, a 'No' column, dates in every style, NIKs typed as numbers, a row
    pasted twice and a signature block: the preview shows the header row and the columns, the Excel
    NIKs are refused with the fix, the copy is skipped, the NIKs are masked, the valid rows commit."""
    import json
    from pathlib import Path

    from sinergi.registry.models import Employer
    from sinergi.unions.services import union_body_create

    corpus = Path(__file__).parent.parent / "data" / "import_corpus"
    path = corpus / "01-puk-list-title-footer.xlsx"
    expected = json.loads((corpus / f"{path.name}.expected.json").read_text())["rows"]
    imported = sum(1 for outcome in expected.values() if outcome == "imported")
    dpw = demo_personas.union_bodies["dpw_fspmi_dki"]
    employer = Employer.objects.create(name="PT Kukuh Mandiri Lestari (uji)", region_id="3172")
    puk = union_body_create(
        actor=None, name="PUK SPAMK Kukuh (uji)", kind="unit", parent=dpw, region_id="3172", employer=employer
    )
    page = logged_in_page("serikat.fspmi")
    page.goto(server_url("registry:union_body_detail", pk=puk.pk))
    page.get_by_test_id("import-members").click()
    page.set_input_files("input[name=file]", str(path))
    page.get_by_test_id("import-validate").click()
    expect(page.get_by_test_id("rows-valid")).to_have_text(str(imported), timeout=30_000)
    expect(page.get_by_test_id("header-row")).to_contain_text("baris 4")
    expect(page.get_by_test_id("not-imported")).to_contain_text("No, Hobi")
    expect(page.get_by_test_id("columns-table")).to_contain_text("Tgl Masuk Serikat")
    rejected = page.get_by_test_id("rejected-table")
    expect(rejected).to_contain_text("terbaca sebagai angka")
    expect(rejected).to_contain_text("Ubah format kolom NIK menjadi Teks")
    expect(rejected).to_contain_text("317205******0016")  # masked for the union official
    expect(rejected).not_to_contain_text("3172050707930016")
    expect(page.get_by_test_id("skipped-table")).to_contain_text("duplikat baris 6")
    expect(page.get_by_test_id("skipped-table")).to_contain_text("bukan baris anggota")
    page.get_by_test_id("import-commit").click()
    expect(page.get_by_test_id("import-committed")).to_be_visible(timeout=30_000)
    page.get_by_test_id("to-body").click()
    expect(page.get_by_test_id("member-count")).to_have_text(str(imported))
