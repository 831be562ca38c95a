"""Our Markdown pages render, and raw HTML or script links in Markdown stay inert."""

from cables.web.markdown_pages import page, render_markdown


def test_raw_html_in_markdown_is_shown_as_text():
    html = render_markdown('Hello <script>alert(1)</script> and "><img src=x onerror=alert(2)>')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html


def test_block_html_in_markdown_is_shown_as_text():
    html = render_markdown("<div onclick='x()'>\nhi\n</div>")
    assert "<div" not in html and "&lt;div" in html


def test_javascript_links_are_neutralised():
    html = render_markdown(
        "[click](javascript:alert(1)) and [ok](https://example.org/) [rel](/cables/)"
    )
    assert "javascript:" not in html
    assert 'href="https://example.org/"' in html and 'href="/cables/"' in html


def test_the_citation_guide_renders():
    html = page("citing")
    assert "<h1" in html and "Permalinks never change" in html
    assert "<table>" in html
