"""Cables as data: the JSON form of a cable page."""

from django.conf import settings


def absolute(path: str) -> str:
    """An absolute URL on the archive's public address (SITE_URL), never the request's Host."""
    return f"{settings.SITE_URL}{path}"


# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A CSV cell that spreadsheets show as the text it is: ``=HYPERLINK(…)`` becomes
    ``'=HYPERLINK(…)`` (OWASP's advice); any other value is left as it is."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def cable_as_json(cable) -> dict:
    """The cable as JSON; ``cable`` comes from ``Cable.objects.for_page()``."""
    return {
        "reference_id": cable.reference_id,
        "date": cable.date.isoformat().replace("+00:00", "Z") if cable.date else None,
        "sender": {"code": cable.sender.code, "name": cable.sender.name} if cable.sender else None,
        "classification": cable.classification,
        "caveats": cable.caveats,
        "tags": [
            {"code": cable_tag.tag.code, "description": cable_tag.tag.description}
            for cable_tag in cable.cable_tags.all()
        ],
        "subject": cable.subject,
        "subject_marking": cable.subject_marking,
        "to": cable.to_recipients,
        "info": cable.info_recipients,
        "references": [reference.reference_id for reference in cable.references.all()],
        "signer": cable.signer,
        "classified_by": cable.classified_by,
        "classifier": cable.classified_by_parts.person,
        "classifier_title": cable.classified_by_parts.title,
        "classification_reasons": cable.classified_by_parts.reasons,
        "classification_reason_letters": list(cable.classified_by_parts.letters),
        "declassify_on": cable.declassify_on,
        "declassify_date": cable.declassify_date.isoformat() if cable.declassify_date else None,
        "precedence": cable.precedence,
        "transmission_id": cable.transmission_id,
        "is_partial": cable.is_partial,
        "summary": cable.summary,
        "paragraphs": [
            {
                "number": paragraph.number,
                "anchor": paragraph.anchor,
                "marking": paragraph.marking,
                "heading": paragraph.heading,
                "text": paragraph.text,
                "url": absolute(f"{cable.get_absolute_url()}{paragraph.anchor}/"),
            }
            for paragraph in cable.paragraphs.all()
        ],
        "url": absolute(cable.get_absolute_url()),
        "raw_url": absolute(cable.get_raw_url()),
    }


def cable_as_text(cable) -> str:
    """The cable as plain text: its metadata, then its paragraphs with their anchors.
    (``/raw/`` gives the text exactly as released; this is the archive's reading of it.)"""
    lines = [
        f"Cable {cable.reference_id}",
        f"Subject: {cable.subject or '(no subject)'}",
        f"Date: {cable.date.isoformat().replace('+00:00', 'Z') if cable.date else 'unknown'}",
        f"Sender: {cable.sender.name if cable.sender else 'unknown'}",
        f"Classification: {cable.classification or 'unknown'}",
    ]
    if cable.caveats:
        lines.append(f"Caveats: {', '.join(cable.caveats)}")
    tags = [cable_tag.tag.code for cable_tag in cable.cable_tags.all()]
    if tags:
        lines.append(f"Tags: {', '.join(tags)}")
    references = [reference.reference_id for reference in cable.references.all()]
    if references:
        lines.append(f"References: {', '.join(references)}")
    if cable.is_partial:
        lines.append("Partial extract: the release did not publish the full text.")
    lines += [f"Permalink: {absolute(cable.get_absolute_url())}", ""]
    for paragraph in cable.paragraphs.all():
        if paragraph.heading:
            lines += [paragraph.heading, ""]
        label = f"¶{paragraph.number}" if paragraph.number else f"[{paragraph.anchor}]"
        marking = f" ({paragraph.marking})" if paragraph.marking else ""
        lines += [f"{label}{marking} {paragraph.text}", ""]
    if cable.signer:
        lines.append(cable.signer)
    return "\n".join(lines).rstrip() + "\n"
