"""Programs from the browser: an officer builds a training program's eligibility rules in the form,
sees the live count of who qualifies change, creates the program, its course and a cohort."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_creates_a_program_with_the_rule_builder_and_a_cohort_seeing_who_qualifies(
    demo_personas, logged_in_page, server_url
):
    from sinergi.programs.models import Cohort, Course, Program
    from tests.programs.factories import worker

    for born in (dt.date(1980, 5, 1), dt.date(1992, 8, 17), dt.date(2012, 3, 3)):  # two adults, one child
        worker(wage=Decimal(5_000_000), birth_date=born)

    page = logged_in_page("petugas.dki")
    page.goto(server_url("programs:program_list"))
    page.get_by_test_id("new-program").click()
    page.locator("input[name=code]").fill("JAKP-UJI")
    page.locator("input[name=name]").fill("Jakpreneur Angkatan Uji")
    page.locator("select[name=kind]").select_option("training")
    page.locator("input[name=legal_basis]").fill("Program Jakpreneur Pemprov DKI Jakarta")
    page.locator("input[name=year]").fill("2026")
    page.locator("input[name=start_date]").fill("2026-01-01")
    page.locator("input[name=end_date]").fill("2026-12-31")

    # The first row is prefilled (KTP of DKI Jakarta): all three qualify. Each count is a request to
    # the server (debounced by 300-600 ms); on a loaded CI machine one took longer than the default 5 s.
    count = page.get_by_test_id("rule-count-value")
    slow = 15_000
    expect(count).to_have_text("3", timeout=slow)
    # A second row: choosing "Age" redraws its operators; "at least 18" leaves the two adults.
    page.locator("select[name='rules-1-field']").select_option("age")
    # the row is drawn again for "Age": its operators appear and its value becomes a number of years
    expect(page.locator("select[name='rules-1-operator'] option[value=at_least]")).to_have_count(1)
    expect(page.locator("input[name='rules-1-value'][type=number]")).to_have_count(1)
    page.locator("select[name='rules-1-operator']").select_option("at_least")
    page.locator("input[name='rules-1-value']").fill("18")
    page.locator("input[name='rules-1-value']").press("Tab")
    expect(count).to_have_text("2", timeout=slow)
    # An age out of range: the count says why instead of counting.
    page.locator("input[name='rules-1-value']").fill("200")
    page.locator("input[name='rules-1-value']").press("Tab")
    expect(page.get_by_test_id("rule-count-problem")).to_be_visible(timeout=slow)
    page.locator("input[name='rules-1-value']").fill("18")
    page.locator("input[name='rules-1-value']").press("Tab")
    expect(count).to_have_text("2", timeout=slow)

    page.get_by_test_id("save-program").click()
    expect(page.locator("h1")).to_have_text("Jakpreneur Angkatan Uji", timeout=15_000)
    program = Program.objects.get(code="JAKP-UJI")
    assert program.rules == [{"rule": "ktp_province", "value": "31"}, {"rule": "age_between", "min": 18}]

    # Its course, then a cohort of it.
    page.goto(server_url("programs:cohort_list"))
    page.get_by_test_id("new-course").click()
    page.locator("select[name=program]").select_option(str(program.pk))
    page.locator("input[name=level]").fill("1")
    page.locator("input[name=name]").fill("Dasar kewirausahaan")
    page.locator("form[data-testid=edit-form] button[type=submit]").click()
    expect(page.get_by_test_id("course-list")).to_contain_text("Dasar kewirausahaan")
    course = Course.objects.get(program=program)

    page.get_by_test_id("new-cohort").click()
    form = page.get_by_test_id("cohort-form")
    form.locator("select[name=course]").select_option(str(course.pk))
    form.locator("input[name=name]").fill("Angkatan Uji — Jakarta Utara")
    form.locator("select[name=region]").select_option("3172")
    form.locator("input[name=start_date]").fill("2026-12-14")
    form.locator("input[name=end_date]").fill("2026-12-10")  # before the start: refused on the field
    form.locator("input[name=sessions]").fill("4")
    form.locator("input[name=min_attendance]").fill("3")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("cohort-form").locator(".errorlist")).to_be_visible()
    page.get_by_test_id("cohort-form").locator("input[name=end_date]").fill("2026-12-18")
    page.get_by_test_id("cohort-form").locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Angkatan Uji — Jakarta Utara")
    cohort = Cohort.objects.get(course=course)
    assert (cohort.region_id, cohort.sessions, cohort.min_attendance) == ("3172", 4, 3)
