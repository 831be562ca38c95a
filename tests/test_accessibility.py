"""Accessibility in a real browser: axe-core on the main pages and the admin's upload,
every facet control with the keyboard alone, and the main flows without JavaScript."""

import re

import pytest

from .browser_support import DESKTOP, PHONE, SEED_TXT

pytestmark = pytest.mark.xdist_group("browser")

SERIOUS = ("serious", "critical")
HIGHLIGHT = "rgb(255, 243, 196)"  # --highlight in archive.css: the paragraph linked to
PAGES = {
    "home": "/",
    "list": "/cables/?q=embassy&classification=CONFIDENTIAL&classification=SECRET",
    "cable": "/cables/05BOGOTA5616/",
    "paragraph": "/cables/05BOGOTA5616/p2/",
}


def expect(*args, **kwargs):
    from playwright.sync_api import expect

    return expect(*args, **kwargs)


def serious_violations(page) -> list[str]:
    """What axe-core (shipped inside axe-playwright-python) calls serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}: "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in violations
        if violation["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_nothing_serious_on_a_main_page(open_page, name, width):
    page = open_page(PAGES[name], width=width)
    assert serious_violations(page) == []


def test_axe_finds_nothing_serious_on_the_admin_upload_page_and_its_dry_run(
    open_page, served_archive
):
    page = open_page("/admin/login/?next=/admin/cables/cable/")
    page.get_by_label("Username").fill(served_archive.admin_username)
    page.get_by_label("Password").fill(served_archive.admin_password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Upload cables").click()
    expect(page.get_by_role("heading", name="Upload cables")).to_be_visible()
    expect(page.get_by_text("These files come to more than")).to_be_hidden()
    assert serious_violations(page) == []

    page.get_by_label("Files:").set_input_files(SEED_TXT)
    page.get_by_role("button", name="Upload").click()
    status = page.locator("#status")
    expect(status).to_have_text("dry run done, waiting for confirmation", timeout=30_000)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Cancel and discard the files").click()
    expect(status).to_have_text("cancelled, nothing imported")


def tab_to(page, target, presses: int = 200):
    """Press Tab until target has the focus, and check that the focus can be seen."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            seen = target.evaluate(
                """element => {
                    const box = element.getBoundingClientRect();
                    return element.matches(':focus-visible')
                        && getComputedStyle(element).outlineStyle !== 'none'
                        && box.width > 1 && box.height > 1;
                }"""
            )
            assert seen, f"{target} has the focus but it cannot be seen"
            return
    pytest.fail(f"{target} was not reached in {presses} presses of Tab")


def facet_link(page, region: str):
    """The first value of a facet not selected yet."""
    values = page.get_by_role("region", name=region).locator(".facet-values a")
    return values.locator(":scope:not([aria-current])").first


def test_every_facet_control_works_with_the_keyboard_alone(open_page, served_archive):
    page = open_page("/cables/")

    for region, parameter in [
        ("Classification", "classification"),
        ("Senders", "sender"),
        ("Tags", "tag"),
    ]:
        link = facet_link(page, region)
        label = link.inner_text()
        tab_to(page, link)
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(rf"[?&]{parameter}="))
        expect(page.locator(".chips")).to_contain_text(label)

    # The date range: typed into the date fields, applied with the space bar.
    date_after = page.get_by_label("From")
    tab_to(page, date_after)
    page.keyboard.type("01012000")
    date_before = page.get_by_label("to", exact=True)
    tab_to(page, date_before)
    page.keyboard.type("12312010")
    tab_to(page, page.get_by_role("button", name="Apply"))
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"date_after=2000-01-01&date_before=2010-12-31"))

    # A chip's remove link, then a year of the date chart, in the list that shows itself
    # when focused.
    remove_tag = page.get_by_role("link", name=re.compile(r"^Remove Tag"))
    tab_to(page, remove_tag)
    page.keyboard.press("Enter")
    expect(page).not_to_have_url(re.compile(r"[?&]tag="))
    year = page.get_by_role("list", name="Cables by year").get_by_role("link").first
    year_label = year.inner_text()
    tab_to(page, year)
    page.keyboard.press("Enter")
    expect(page.locator(".chips")).to_contain_text(year_label.split(":")[0])

    # Finding a tag: typed, sent with Enter, chosen from the glossary.
    find_tag = page.get_by_label("Find a tag by code or description")
    tab_to(page, find_tag)
    page.keyboard.type("PREL")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/tags/\?.*find=PREL"))
    prel = page.get_by_role("link", name="PREL", exact=True)
    tab_to(page, prel)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cables/\?.*tag=PREL"))

    clear = page.get_by_role("link", name="Clear everything")
    tab_to(page, clear)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{served_archive.url}/cables/")


def test_without_javascript_facets_search_and_paragraph_anchors_still_work(
    open_page, served_archive
):
    page = open_page("/cables/", javascript=False)
    page.get_by_role("region", name="Classification").get_by_role(
        "link", name="CONFIDENTIAL", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"classification=CONFIDENTIAL"))
    page.locator(".date-chart a", has_text="2005:").click()  # a bar of the chart
    expect(page).to_have_url(re.compile(r"date_after=2005-01-01"))

    search = page.get_by_role("searchbox", name="Search subjects and text")
    search.fill("anori")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"q=anori.*classification=CONFIDENTIAL"))
    expect(page.locator(".list-summary .count")).to_have_text("1 cable")

    page.locator(".snippet-anchor").click()
    expect(page).to_have_url(f"{served_archive.url}/cables/05BOGOTA5616/#p1")
    paragraph = page.locator(".paragraph:target")
    expect(paragraph).to_have_attribute("id", "p1")
    expect(paragraph).to_be_in_viewport()
    assert paragraph.evaluate("p => getComputedStyle(p).backgroundColor") == HIGHLIGHT

    # The copy buttons need JavaScript: without it they stay hidden, the citations are text.
    paragraph.get_by_role("link", name="permalink").click()
    expect(page).to_have_url(f"{served_archive.url}/cables/05BOGOTA5616/p1/")
    expect(page.locator("#citation-chicago-note")).to_contain_text("05BOGOTA5616")
    expect(page.locator("button.copy").first).to_be_hidden()
