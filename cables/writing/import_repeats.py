"""A second text for an id already stored in the same import: another rendering of the
same cable (it replaces the first), or another cable's text (it is refused, naming both
files). cables.writing.importing asks; nothing here writes."""

from dataclasses import dataclass
from datetime import datetime


@dataclass
class BatchEntry:
    """What an import remembers of each id it has stored, to recognise a second text of it."""

    source: str
    sha256: str
    claimed_id: str
    date: datetime | None  # from the date-time group only

    @classmethod
    def of(cls, source: str, fields: dict, claimed_id: str) -> "BatchEntry":
        """From a parsed cable's fields (cables.writing.cable_data.CableData)."""
        dated = fields["date_source"] == "dtg"
        return cls(source, fields["raw_sha256"], claimed_id, fields["date"] if dated else None)


def conflict(earlier: BatchEntry, later: BatchEntry, reference_id: str) -> str:
    """Why a second text for an id stored earlier in the same import is not imported;
    empty for a second rendering of the same cable. It is another cable's when one of the
    files names another id (the release's, or its file name), or when the two texts'
    date-time groups differ."""
    reasons = [
        f"{entry.source} is named {entry.claimed_id}"
        for entry in (earlier, later)
        if entry.claimed_id not in ("", reference_id)
    ]
    same_text = earlier.sha256 == later.sha256
    if not same_text and earlier.date and later.date and earlier.date != later.date:
        reasons.append(
            f"their date-time groups differ ({earlier.date:%d%H%MZ %b %Y}, "
            f"{later.date:%d%H%MZ %b %Y})"
        )
    if not reasons:
        return ""
    text = "the same text as" if same_text else "a different text from"
    return (
        f"its text gives {reference_id}, {text} {earlier.source} in this import, "
        f"but {' and '.join(reasons)}: not imported ({earlier.source} is kept; import this "
        "file alone to replace it)"
    )
