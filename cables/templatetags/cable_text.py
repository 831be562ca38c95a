import re

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

REDACTION = re.compile(r"X{6,}", re.IGNORECASE)


@register.filter(is_safe=True)
def cable_text(text: str) -> str:
    """Paragraph text as HTML: escaped first, then split into <p>s, with the release's
    redactions (``XXXXXXXXXXXX``) marked as such so readers can tell them from words."""
    html = str(linebreaks_filter(escape(text), autoescape=False))
    return mark_safe(
        REDACTION.sub(
            lambda match: (
                f'<span class="redacted" title="Redacted in the release">{match.group(0)}</span>'
            ),
            html,
        )
    )
