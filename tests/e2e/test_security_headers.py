"""Under the strict Content-Security-Policy the browser blocks nothing Sinergi needs: charts draw from
local plotly.js with their data in JSON blocks, htmx loads fragments, the menu button and the
select-all boxes work (their handlers moved from inline attributes to core/sinergi.js)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_sees_charts_and_uses_the_menu_and_select_all_with_no_csp_violation(
    demo_personas, logged_in_page, server_url
):
    from tests.factories import PersonFactory

    for i in range(3):
        PersonFactory(name=f"Pekerja Tanpa Jaminan {i}", district="337501", employment_type="informal")
    page = logged_in_page("petugas.pekalongan")
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.evaluate(
        "document.addEventListener('securitypolicyviolation', e => window.__csp = (window.__csp||[]).concat(e.violatedDirective))"
    )

    page.goto(server_url("coverage:gap"))
    expect(page.locator(".chart .main-svg").first).to_be_visible()
    page.goto(server_url("aspirations:reports"))
    expect(page.locator(".chart .main-svg").first).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(server_url("core:home"))
    toggle = page.locator("[data-toggle-nav]")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("body")).to_have_class("nav-open")

    page.goto(server_url("programs:card_list"))
    boxes = page.locator("input[name=ids]")
    if boxes.count():
        page.locator("[data-select-all=ids]").check()
        assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert page.evaluate("window.__csp || []") == []
    assert violations == []
