"""Our own pages written in Markdown, rendered safely.

Raw HTML in the Markdown is not passed through: the block and inline HTML
processors are removed, so any ``<script>`` or ``<img onerror=…>`` is shown as
text. Links may only use http(s), mailto or relative URLs.
"""

import re
from functools import cache
from pathlib import Path

import markdown
from django.utils.safestring import SafeString, mark_safe

CONTENT = Path(__file__).resolve().parent.parent / "content"  # cables/content/
SAFE_LINK = re.compile(r"^(?:https?:|mailto:|/|#|\.)", re.IGNORECASE)


class _NoRawHtml(markdown.extensions.Extension):
    def extendMarkdown(self, md):  # noqa: N802 - the markdown package's name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinks(md), "safe_links", 0)


class _SafeLinks(markdown.treeprocessors.Treeprocessor):
    def run(self, root):
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not SAFE_LINK.match(value.strip()):
                    element.set(attribute, "#")


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text, extensions=[_NoRawHtml(), "tables", "toc"], output_format="html")
    return mark_safe(html)  # noqa: S308 - raw HTML is disabled above, links are checked


@cache
def page(name: str) -> SafeString:
    """A page from cables/content/<name>.md, rendered once per process."""
    return render_markdown((CONTENT / f"{name}.md").read_text(encoding="utf-8"))
