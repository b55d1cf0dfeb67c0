"""Accessibility and phone width in a real browser.

- axe-core (through axe-playwright-python) on every main page, in French and in
  English: no serious or critical violation of WCAG 2.1 A/AA;
- at 390 px, the processor's tables, the processor list (score, findings) and the
  members page (role select, remove) read without any horizontal scrolling;
- the organisation switcher shows a long name whole, wrapped, on a phone.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import missing_requirement
from tests.browser.seed import LONG_NAME

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(missing_requirement() is not None, reason=missing_requirement() or ""),
]

PHONE = 390
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
LANGUAGE_BUTTON = "form[action='/preferences/language'] button[value={}]"

# Elements wider than their box (a table that would scroll sideways inside its wrapper).
SCROLLING_SIDEWAYS = """() => [...document.querySelectorAll('main .table-wrap, main table, main form, main section')]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + (e.scrollWidth - e.clientWidth) + 'px')"""


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:4]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def document_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def submit_a_procurement_request(session, organisation: int) -> str:
    """A request with a verdict to look at; returns its path."""
    page = session.page
    session.go(f"/organisations/{organisation}/procurement/new")
    page.fill("#field-tool_name", "Parlote")
    page.fill("#field-purpose", "Chat en direct sur le site")
    page.check("#field-data_kinds-contact")
    page.select_option("#field-vendor_country", "US")
    page.select_option("#field-marketing", "none")
    page.select_option("#field-data_countries-1", "IN")
    page.click("button[type=submit].primary")
    assert page.locator("#verdict").is_visible()
    return page.url.removeprefix(session.server.base_url)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_main_pages_have_no_serious_accessibility_violation(session_as, server, chromium, language):
    admin = session_as("admin")
    page = admin.page
    demo = f"/organisations/{server.demo}"
    admin.go(f"{demo}/processors?q=RelationHub")
    processor = page.locator("table.processors tbody th a").first.get_attribute("href")
    verdict = submit_a_procurement_request(admin, server.demo)
    admin.go(f"{processor}/notices")
    notice = page.locator("a[href^='/notices/']").first.get_attribute("href")
    page.click(LANGUAGE_BUTTON.format(language))
    assert page.locator("html").get_attribute("lang") == language
    pages = [
        demo, f"{demo}/processors", processor, f"{processor}/edit", f"{demo}/findings",
        f"{demo}/procurement/new", verdict, f"{demo}/procurement", f"{demo}/documents",
        f"{demo}/audit", f"{demo}/members", "/account/password", f"{processor}/notices", notice,
    ]
    found = {}
    for path in pages:
        assert admin.go(path).status == 200, path
        found[path] = serious_violations(page)
    anonymous = chromium.new_context()
    try:
        login = anonymous.new_page()
        login.goto(server.url(f"/login?lang={language}"))
        found["/login"] = serious_violations(login)
    finally:
        anonymous.close()
    assert {path: v for path, v in found.items() if v} == {}


def test_phone_width_tables_read_without_sideways_scrolling(session_as, server, screenshots):
    admin = session_as("admin", width=PHONE)
    page = admin.page
    demo = f"/organisations/{server.demo}"
    admin.go(f"{demo}/processors?q=RelationHub")
    processor = page.locator("table.processors tbody th a").first.get_attribute("href")
    for path, name in [(f"{demo}/processors", "processors"), (processor, "processor"), (f"{demo}/members", "members")]:
        admin.go(path)
        assert document_overflow(page) <= 1, path
        assert page.evaluate(SCROLLING_SIDEWAYS) == [], path
        admin.shoot(screenshots, f"40-phone-{name}")

    def within_screen(locator) -> bool:
        box = locator.bounding_box()
        return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE

    admin.go(f"{demo}/processors")
    first = page.locator("table.processors tbody tr").first
    assert within_screen(first.locator("td.num .score-chip")) and within_screen(first.locator("td.counts"))
    admin.go(processor)
    assert page.locator("table.transfers tbody tr").count() > 0
    assert within_screen(page.locator("table.transfers tbody tr").first.locator("td").last)
    admin.go(f"{demo}/members")
    row = page.locator("table.members tbody tr", has_text="dpo@browser.test")
    assert within_screen(row.locator("select")) and within_screen(row.get_by_role("button", name="Retirer"))
    assert admin.console_errors == []


def test_the_switcher_shows_a_long_organisation_name_whole_on_a_phone(session_as, server, screenshots):
    admin = session_as("admin", width=PHONE)
    page = admin.page
    admin.go(f"/organisations/{server.demo}")
    page.click("details.switcher > summary")
    option = page.locator(f"form[action='/preferences/organisation'] button[value='{server.long_name}']")
    assert option.inner_text() == LONG_NAME
    box = option.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    assert box["height"] > 2 * float(page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.switcher-menu button')).fontSize)"
    ))  # wrapped on several lines, not cut
    assert document_overflow(page) <= 1
    admin.shoot(screenshots, "41-phone-switcher-open")
    option.click()
    page.wait_for_url(f"**/organisations/{server.long_name}")
    current = page.locator("details.switcher > summary .switcher-current")
    assert current.inner_text() == LONG_NAME
    box = current.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE and document_overflow(page) <= 1
    admin.shoot(screenshots, "42-phone-switcher-long-name")
