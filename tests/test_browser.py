"""End to end in a real browser: Debian's Chromium against the archive served by gunicorn,
with the real corpus imported (tests/browser_support.py builds and serves it)."""

import re
import struct
import zipfile

import pytest

from .browser_support import DESKTOP, PHONE, save_screenshots

pytestmark = pytest.mark.xdist_group("browser")

HIGHLIGHT = "rgb(255, 243, 196)"  # --highlight in archive.css: the paragraph linked to


def expect(*args, **kwargs):
    from playwright.sync_api import expect

    return expect(*args, **kwargs)


def test_a_reader_narrows_searches_lands_on_the_paragraph_cites_it_follows_a_ref_and_goes_back(
    open_page, served_archive
):
    page = open_page("/", permissions=["clipboard-read", "clipboard-write"])
    page.get_by_role("link", name="Browse all cables").click()
    expect(page).to_have_url(f"{served_archive.url}/cables/")

    page.get_by_role("region", name="Classification").get_by_role(
        "link", name="CONFIDENTIAL", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"classification=CONFIDENTIAL"))
    page.get_by_role("region", name="Senders").get_by_role("link", name="Embassy Bogota").click()
    expect(page).to_have_url(re.compile(r"sender=embassy-bogota"))
    expect(page.locator(".chips")).to_contain_text("Embassy Bogota")

    search = page.get_by_role("searchbox", name="Search subjects and text")
    search.fill("anori")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"q=anori"))
    expect(page.locator(".list-summary .count")).to_have_text("1 cable")
    expect(page.locator(".chips")).to_contain_text("CONFIDENTIAL")
    expect(page.locator(".snippet mark")).to_have_text("Anori")
    filtered_list = page.url

    # The result's best paragraph (¶1, the first to name "Anori"), linked to its anchor:
    # the page scrolls to it and marks it.
    page.locator(".snippet-anchor").click()
    expect(page).to_have_url(f"{served_archive.url}/cables/05BOGOTA5616/#p1")
    paragraph = page.locator("#p1")
    expect(paragraph).to_be_in_viewport()
    expect(page.locator(".paragraph:target")).to_have_attribute("id", "p1")
    assert paragraph.evaluate("p => getComputedStyle(p).backgroundColor") == HIGHLIGHT

    # Its citation, copied with the button.
    paragraph.get_by_role("link", name="cite", exact=True).click()
    expect(page).to_have_url(f"{served_archive.url}/cables/05BOGOTA5616/p1/#cite")
    citation = page.locator("#citation-chicago-note")
    copy = page.locator("button[data-copy=citation-chicago-note]")
    expect(copy).to_have_text("Copy")
    copy.click()
    expect(copy).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == citation.inner_text().strip()
    assert "05BOGOTA5616" in copied and "¶1" in copied
    assert f"{served_archive.url}/cables/05BOGOTA5616/p1/" in copied

    # A cable its REF line names, then back, twice, to the same filtered list.
    page.go_back()
    expect(page).to_have_url(f"{served_archive.url}/cables/05BOGOTA5616/#p1")
    references = page.get_by_role("region", name=re.compile(r"^References"))
    references.get_by_role("link", name="05BOGOTA3726").click()
    expect(page).to_have_url(f"{served_archive.url}/cables/05BOGOTA3726/")
    expect(page.get_by_role("heading", level=1)).to_have_text("PEACE PROCESS WITH ELN STALLS")
    page.go_back()
    page.go_back()
    expect(page).to_have_url(filtered_list)
    expect(page.locator(".list-summary .count")).to_have_text("1 cable")
    expect(page.get_by_role("searchbox", name="Search subjects and text")).to_have_value("anori")
    selected = page.locator(".facets [aria-current=true]")
    expect(selected).to_have_text(["✓ CONFIDENTIAL", "✓ Embassy Bogota"])


def test_an_archivist_uploads_a_zip_checks_the_dry_run_confirms_and_the_cables_are_published(
    open_page, served_archive, tmp_path
):
    upload = tmp_path / "two-cables.zip"
    with zipfile.ZipFile(upload, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in served_archive.held_back:
            archive.write(path, f"cables/{path.name}")
    new_cable = path.stem  # the last of them
    page = open_page("/admin/")
    assert page.request.get(f"/cables/{new_cable}/").status == 404

    page.get_by_label("Username").fill(served_archive.admin_username)
    page.get_by_label("Password").fill(served_archive.admin_password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.locator("a[href='/admin/cables/cable/']").first.click()
    page.get_by_role("link", name="Upload cables").click()
    expect(page.get_by_role("heading", name="Upload cables")).to_be_visible()

    page.get_by_label("Files:").set_input_files(upload)
    page.get_by_role("button", name="Upload").click()
    # The dry run runs in the background; the record page refreshes itself until it is done.
    status = page.locator("#status")
    expect(status).to_have_text("dry run done, waiting for confirmation", timeout=30_000)
    expect(page.locator("#counts")).to_have_text("new 2, changed 0, unchanged 0, failed 0")
    expect(page.locator("#files")).to_contain_text("two-cables.zip")
    expect(page.get_by_text("Nothing has been written yet.")).to_be_visible()
    assert page.request.get(f"/cables/{new_cable}/").status == 404

    page.get_by_role("button", name="Import these files").click()
    expect(status).to_have_text("imported", timeout=30_000)
    expect(page.locator("#counts")).to_have_text("created 2, updated 0, unchanged 0, failed 0")
    page.locator("#outcomes").get_by_role("link", name=new_cable).click()
    expect(page).to_have_url(f"{served_archive.url}/cables/{new_cable}/")
    expect(page.locator(".kicker")).to_have_text(f"Cable {new_cable}")
    expect(page.locator(".paragraph").first).to_be_visible()


PHONE_PAGES = {
    "home": "/",
    "list": "/cables/?q=embassy&classification=CONFIDENTIAL",
    # 09BRASILIA1042 ¶4 ends with a run of 89 dashes, the corpus's longest unbroken line.
    "cable": "/cables/09BRASILIA1042/",
    "paragraph": "/cables/09BRASILIA1042/p4/",
}


@pytest.mark.parametrize("name", PHONE_PAGES)
def test_at_phone_width_a_page_never_scrolls_sideways_and_long_cable_lines_wrap(open_page, name):
    page = open_page(PHONE_PAGES[name], width=PHONE)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{name}: the page is {widths[0]} px wide in {widths[1]} px"
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map(e => e.tagName + '.' + e.className)"""
    )
    assert overflowing == []
    if name in ("cable", "paragraph"):
        dashes = page.locator(".paragraph-text p", has_text="-" * 80)
        box = dashes.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
        assert dashes.evaluate("p => p.scrollWidth <= p.clientWidth")


def test_a_failing_browser_test_leaves_screenshots_at_desktop_and_phone_widths(open_page, tmp_path):
    page = open_page("/cables/09BRASILIA1042/p4/")
    saved = save_screenshots(page, "a test/failed", folder=tmp_path)
    assert [path.name for path in saved] == ["a-test-failed-1280.png", "a-test-failed-360.png"]
    for path, width in zip(saved, (DESKTOP, PHONE), strict=True):
        header = path.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">I", header[16:20])[0] == width
