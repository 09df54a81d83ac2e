"""Sponsored enrolment in the browser: selection, maker-checker approval, enrolment file, numbers back."""

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_agency_officer_selects_candidates_a_second_officer_approves_the_file_downloads_and_the_scheme_page_shows_the_count_against_target(  # noqa: E501
    demo_personas, logged_in_page, server_url, tmp_path
):
    from sinergi.coverage import services
    from tests.factories import PersonFactory

    officer = demo_personas.users["petugas.pekalongan"]
    scheme = services.scheme_create(
        actor=officer,
        sponsor_organisation=demo_personas.orgs["apbd_pekalongan"],
        agency=demo_personas.orgs["dinperinaker_pekalongan"],
        region_id="3375",
        name="Perlindungan Pekerja Rentan",
        legal_basis="Perwal Kota Pekalongan No. 19/2023",
        year=dt.date.today().year,
        target=10,
        budget=2016000,
        eligible_occupations=["Pengayuh becak", "Penggali kubur"],
    )
    for i in range(6):
        PersonFactory(
            name=f"Calon Peserta {i}",
            district="337501",
            employment_type="informal",
            is_vulnerable=True,
            occupation=("Pengayuh becak", "Penggali kubur")[i % 2],
        )
    PersonFactory(
        name="Bukan Rentan", district="337501", employment_type="informal", occupation="Pengayuh becak"
    )

    # 1. The first officer selects the candidates from the registry.
    page = logged_in_page(officer)
    page.goto(server_url("coverage:scheme_detail", pk=scheme.pk))
    expect(page.get_by_test_id("enrolled-vs-target")).to_have_text("0 / 10")
    page.get_by_test_id("select-candidates").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("menunggu persetujuan")
    expect(page.locator("table")).to_contain_text("Calon Peserta 0")
    expect(page.locator("table")).not_to_contain_text("Bukan Rentan")
    expect(page.get_by_test_id("approve")).to_have_count(0)  # the selector cannot approve
    batch_url = page.url

    # 2. A second officer approves.
    page2 = logged_in_page("petugas2.pekalongan")
    page2.goto(batch_url)
    page2.get_by_test_id("approve").click()
    expect(page2.get_by_test_id("batch-status")).to_have_text("disetujui")

    # 3. The enrolment file for the branch downloads.
    page2.goto(server_url("coverage:scheme_detail", pk=scheme.pk))
    expect(page2.get_by_test_id("pending")).to_have_text("6")
    with page2.expect_download() as info:
        page2.get_by_test_id("enrolment-file").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active.values)
    assert rows[0][:3] == ("NIK", "Nama", "Tanggal Lahir") and len(rows) == 7

    # 4. The branch's participant numbers come back; the page shows the count against the target.
    reply = tmp_path / "nomor-peserta.csv"
    reply.write_text("NIK,No Peserta\n" + "".join(f"{r[0]},2600000000{i}\n" for i, r in enumerate(rows[1:])))
    page2.locator("input[name=file]").set_input_files(str(reply))
    page2.get_by_role("button", name="Impor nomor peserta").click()
    expect(page2.get_by_test_id("enrolled-vs-target")).to_have_text("6 / 10")
    expect(page2.get_by_test_id("monthly-cost")).to_have_text("Rp100.800")
