"""One cable's rows, worked out from its text and the release's metadata before any write.

Both ways of storing cables use this: one by one (cables/writing/importing.py) and in
bulk (cables/writing/bulk.py, in its parsing processes); the archive's check
(cables/writing/checking.py) compares it with what is stored.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

from ..models import Cable
from ..parsing import ParseError, SourceText
from ..parsing.cable import CLASSIFICATIONS, ParsedCable, complete_from_release, release_date
from .search_index import MAX_PARAGRAPHS

REFERENCE_ID = re.compile(r"^[0-9]{2}[A-Z][A-Z0-9-]*[0-9]+$")

# The fields compared to tell an unchanged cable from a changed one.
COMPARED_FIELDS = (
    "date",
    "date_source",
    "classification",
    "caveats",
    "subject",
    "subject_marking",
    "to_recipients",
    "info_recipients",
    "reference_lines",
    "signer",
    "classified_by",
    "declassify_on",
    "precedence",
    "transmission_id",
    "summary",
    "is_partial",
    "raw_sha256",
    "source_format",
    "release_metadata",
    "disagreements",
)


@dataclass
class CableData:
    """Everything stored for one cable, worked out before any write."""

    reference_id: str
    aliases: list[str]
    fields: dict
    sender: tuple[str, str] | None  # (name, code)
    tags: list[str]
    references: list[str]
    paragraphs: list[dict]
    claimed_id: str = ""  # the id the file itself gives: the release's metadata, else its name


def reference_id_from_name(name: str) -> str:
    """``.../08MEXICO2160.html`` -> ``08MEXICO2160``, when the file is named by its id."""
    stem = PurePath(name.rsplit(":", 1)[-1]).stem.upper()
    return stem if REFERENCE_ID.match(stem) else ""


def release_day(metadata: dict) -> str:
    created = release_date(metadata.get("created", ""))
    return created.date().isoformat() if created else ""


def cable_data(source: SourceText, parsed: ParsedCable) -> CableData:
    """Combine what the text says with what the release published beside it.

    Where the file carries the release's metadata (HTML table, CSV columns), the
    release's reference id, classification and sender name are stored, so permalinks
    and facets match the release; a text-derived id that differs becomes an alias,
    and every field where text and metadata disagree is recorded.
    """
    metadata = source.metadata
    complete_from_release(parsed, release_date(metadata.get("created", "")))
    release_id = metadata.get("reference_id", "").strip().upper()
    reference_id = release_id or parsed.reference_id or reference_id_from_name(source.name)
    if not reference_id:
        raise ParseError(
            "no reference id in the text, the file's metadata or its name", source.name
        )
    if len(parsed.paragraphs) > MAX_PARAGRAPHS:
        # Each paragraph's search key holds its position in 12 bits (search_index.py).
        raise ParseError(
            f"{len(parsed.paragraphs):,} paragraphs: a cable can hold at most {MAX_PARAGRAPHS:,}",
            source.name,
        )
    text_sender = (parsed.sender.name, parsed.sender.code) if parsed.sender else None
    release_origin = metadata.get("origin", "").strip()
    release_classification = metadata.get("classification", "").strip()
    if release_classification not in CLASSIFICATIONS:
        release_classification = ""
    disagreements = {}
    for name, release_value, text_value in (
        ("reference_id", release_id, parsed.reference_id),
        ("classification", release_classification, parsed.classification),
        ("sender", release_origin, text_sender[0] if text_sender else ""),
        ("date", release_day(metadata), parsed.date.date().isoformat() if parsed.date else ""),
    ):
        if release_value and text_value and release_value != text_value:
            disagreements[name] = {"release": release_value, "text": text_value}
    classification = release_classification or parsed.classification
    sender = text_sender
    if release_origin and (not text_sender or text_sender[0] != release_origin):
        sender = (release_origin, "")
    date, date_source = parsed.date, parsed.date_source
    fields = {
        "date": date,
        "date_source": date_source if date else "",
        "classification": classification,
        "caveats": parsed.caveats,
        "subject": parsed.subject,
        "subject_marking": parsed.subject_marking,
        "to_recipients": parsed.to,
        "info_recipients": parsed.info,
        "reference_lines": parsed.reference_lines,
        "signer": parsed.signer,
        "classified_by": parsed.classified_by,
        "declassify_on": parsed.declassify_on,
        "precedence": parsed.precedence,
        "transmission_id": parsed.transmission_id,
        "summary": parsed.summary,
        "is_partial": parsed.is_partial,
        "raw_text": source.text,
        "raw_sha256": hashlib.sha256(source.text.encode("utf-8")).hexdigest(),
        "source_format": source.format,
        "source_name": source.name[-500:],
        "release_metadata": metadata,
        "disagreements": disagreements,
    }
    paragraphs = [
        {
            "position": position,
            "number": paragraph.number,
            "anchor": paragraph.anchor,
            "marking": paragraph.marking,
            "heading": paragraph.heading[:300],
            "text": paragraph.text,
        }
        for position, paragraph in enumerate(parsed.paragraphs, start=1)
    ]
    aliases = [parsed.reference_id] if parsed.reference_id not in ("", reference_id) else []
    return CableData(
        reference_id=reference_id,
        aliases=aliases,
        fields=fields,
        sender=sender,
        tags=parsed.tags,
        references=[reference for reference in parsed.references if reference != reference_id],
        paragraphs=paragraphs,
        claimed_id=release_id or reference_id_from_name(source.name),
    )


def changed_fields(cable: Cable, data: CableData) -> list[str]:
    """The names of the stored fields that ``data`` would change."""
    changed = [name for name in COMPARED_FIELDS if getattr(cable, name) != data.fields[name]]
    sender_name = cable.sender.name if cable.sender_id else None
    if sender_name != (data.sender[0] if data.sender else None):
        changed.append("sender")
    if [cable_tag.tag.code for cable_tag in cable.cable_tags.order_by("position")] != data.tags:
        changed.append("tags")
    if [
        reference.reference_id for reference in cable.references.order_by("position")
    ] != data.references:
        changed.append("references")
    stored = (
        list(cable.paragraphs.order_by("position").values(*data.paragraphs[0].keys()))
        if data.paragraphs
        else []
    )
    if stored != data.paragraphs:
        changed.append("paragraphs")
    return changed
