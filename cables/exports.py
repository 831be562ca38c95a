"""Cables as data: the JSON form of a cable page."""

from django.conf import settings


def absolute(path: str) -> str:
    """An absolute URL on the archive's public address (SITE_URL), never the request's Host."""
    return f"{settings.SITE_URL}{path}"


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
        "to": cable.to_recipients,
        "info": cable.info_recipients,
        "references": [reference.reference_id for reference in cable.references.all()],
        "signer": cable.signer,
        "classified_by": cable.classified_by,
        "declassify_on": cable.declassify_on,
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
