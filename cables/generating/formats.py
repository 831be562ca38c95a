"""A generated cable, and the release's two formats it is written in.

:class:`SyntheticCable` writes itself in the plain-text format of
``seeds/08MEXICO2160.txt`` (:meth:`~SyntheticCable.txt`, one file per cable,
``DIR/YYYY/MM/REFID.txt``) or as one row of ``cables.csv`` (:meth:`~SyntheticCable.csv_row`:
the release's 8 columns, no header, ``\\"`` quotes, hard-wrapped text). Every transmission
id begins ``VZCZCSYN`` (``TRANSMISSION_PREFIX``).

**Round trip.** Every :class:`SyntheticCable` knows what the parser
(``cables.parsing.parse_cable``) should derive from its text: reference id, date,
sender name, classification, caveats, tags, subject, references, paragraph count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from .shape import MONTH_NAMES, Sender

TRANSMISSION_PREFIX = "VZCZCSYN"


@dataclass
class SyntheticParagraph:
    number: int
    marking: str  # "C", "S/NF", … or "" (old cables)
    heading: str
    text: str
    bullets: list[str] = field(default_factory=list)
    # Where a page-break line falls: (block, character offset or -1 for before the block).
    breaks: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class SyntheticCable:
    """One generated cable: what the parser should derive, and how to write it out."""

    index: int
    reference_id: str
    date: datetime
    sender: Sender
    serial: int
    classification: str
    caveats: list[str]
    tags: list[str]
    subject: str
    references: list[str]
    paragraphs: list[SyntheticParagraph]
    # How it is written
    old_style: bool
    precedence: str
    transmission: int
    info: list[Sender]
    level_word: str
    caveats_on_line: bool
    addressee: str
    eo_line: str
    reference_lines: list[str]
    classified_by: str
    signer: str
    pages: int
    pilcrow_after_nine: bool
    tags_with_commas: bool
    dashed_headings: bool

    @property
    def paragraph_count(self) -> int:
        return len(self.paragraphs)

    @property
    def text_length(self) -> int:
        """Characters of paragraph text as the parser reads them (bullets are ``-- …``
        blocks joined to their paragraph by a blank line)."""
        return sum(
            len(paragraph.text) + sum(len(bullet) + 5 for bullet in paragraph.bullets)
            for paragraph in self.paragraphs
        )

    @property
    def path(self) -> str:
        return f"{self.date.year:04d}/{self.date.month:02d}/{self.reference_id}.txt"

    # -- the routing header and the body ----------------------------------------------

    def header(self) -> str:
        date, sender = self.date, self.sender
        julian = date.timetuple().tm_yday
        level = self.classification.split("//")[0][0]
        others = " ".join(info.routing for info in self.info[:3])
        lines = [
            f"{TRANSMISSION_PREFIX}{self.transmission:04d}",
            f"{self.precedence}{self.precedence} {sender.routing} {others}".rstrip(),
            f"DE {sender.routing} #{self.serial % 10000:04d}/01 {julian:03d}{date:%H%M}",
            f"ZN{'R' if level == 'U' else 'Y'} {level * 5} ZZH",
            f"{self.precedence} {date:%d%H%M}Z {MONTH_NAMES[date.month - 1]} {date:%y}",
            f"FM {sender.code}",
        ]
        number = 1000 + self.serial % 8000
        if sender.code == "SECSTATE WASHDC":
            first, *rest = self.info
            lines.append(f"TO {first.routing}/{first.code} {number:04d}")
        else:
            lines.append(f"TO RUEHC/SECSTATE WASHDC {number:04d}")
            rest = self.info
        for position, info in enumerate(rest):
            prefix = "INFO " if position == 0 else ""
            lines.append(
                f"{prefix}{info.routing}/{info.code} {(number + position * 37) % 10000:04d}"
            )
        return "\n".join(lines)

    def classification_line(self) -> str:
        parts = [self.level_word]
        if self.caveats_on_line and self.caveats[0] == "SENSITIVE":
            parts.append("SENSITIVE")
        if self.pages > 1:
            parts.append(f"SECTION 01 OF {self.pages:02d}")
        serial = str(self.serial) if self.old_style else f"{self.serial:06d}"
        parts.append(f"{self.sender.post} {serial}")
        if self.classification.endswith("NOFORN") and self.caveats_on_line:
            parts.append("NOFORN")
        return " ".join(parts)

    def caveat_lines(self) -> list[str]:
        """The caveats written on lines of their own, under the classification line."""
        return self.caveats[1:] if self.caveats_on_line else list(self.caveats)

    def page_line(self, page: int) -> str:
        if self.old_style:
            return f"PAGE {page:02d} {self.sender.post} {self.serial:05d} {self.date:%d%H%M}Z"
        return f"{self.sender.post} {self.serial:08d}  {page:03d} OF {self.pages:03d}"

    def body_lines(self, csv: bool) -> list[str]:
        """The body as lines, with blank lines between blocks; paragraphs on one line each
        (the caller hard-wraps them for the CSV format)."""
        upper = self.old_style
        lines = [self.classification_line(), ""]
        caveats = self.caveat_lines()
        if caveats:
            lines += [*caveats, ""]
        if self.addressee:
            lines += [self.addressee, ""]
        lines.append(self.eo_line)
        if csv or self.old_style:
            separator = ", " if self.tags_with_commas else " "
            lines.append("TAGS: " + separator.join(self.tags))
        else:
            lines.append("TAGS: " + " ".join(f"[{tag}](#)" for tag in self.tags))
        lines += subject_lines(self.subject)
        lines.append("")
        if self.reference_lines:
            lines += [*self.reference_lines, ""]
        if self.classified_by:
            lines += [self.classified_by, ""]
        page = 1
        for paragraph in self.paragraphs:
            if paragraph.heading:
                heading = paragraph.heading.upper() if upper else paragraph.heading
                if self.dashed_headings:
                    lines += ["-" * len(heading), heading, "-" * len(heading), ""]
                else:
                    lines += [heading, ""]
            pilcrow = "" if csv or upper else "¶"
            if paragraph.number >= 10 and not self.pilcrow_after_nine:
                pilcrow = ""
            marking = f" ({paragraph.marking})" if paragraph.marking else ""
            blocks = [
                f"{pilcrow}{paragraph.number}.{marking} {paragraph.text}",
                *(f"-- {bullet}" for bullet in paragraph.bullets),
            ]
            breaks = dict(paragraph.breaks)
            for number, block in enumerate(blocks):
                offset = breaks.get(number)
                if offset == -1:
                    page += 1
                    lines += [self.page_line(page), ""]
                elif offset is not None:
                    page += 1
                    shift = len(blocks[0]) - len(paragraph.text) if number == 0 else 3
                    cut = offset + shift
                    lines += [self.block(block[:cut].rstrip(), csv), "", self.page_line(page), ""]
                    block = block[cut:].lstrip()
                lines += [self.block(block, csv), ""]
        lines.append(self.signer)
        return lines

    def block(self, text: str, csv: bool) -> str:
        """A block of text as written: upper case in old telegrams, hard-wrapped in CSV."""
        if self.old_style:
            text = text.upper()
        return wrap_line(text) if csv else text

    def txt(self) -> str:
        """The cable as a plain-text file, like ``seeds/08MEXICO2160.txt``."""
        return "\n" + self.header() + "\n\n" + "\n".join(self.body_lines(csv=False)) + "\n"

    def csv_row(self) -> str:
        """The cable as one row of the release's ``cables.csv`` (with its line end)."""
        content = "\n".join(self.body_lines(csv=True))
        values = (
            str(self.index),
            f"{self.date:%m/%d/%Y %H:%M}",
            self.reference_id,
            self.sender.name,
            self.classification,
            ",".join(self.references),
            self.header(),
            content,
        )
        return (
            ",".join(
                '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values
            )
            + "\n"
        )


def subject_lines(subject: str) -> list[str]:
    """``SUBJECT: …``, wrapped once after 60 characters where the second line cannot be
    mistaken for a field or a paragraph."""
    line = f"SUBJECT: {subject}"
    if len(line) > 66:
        cut = line.rfind(" ", 0, 62)
        rest = line[cut + 1 :]
        if cut > 20 and not re.match(r"^(?:\d|TAGS|REF|SUBJ|DECL|EO\b|E\.|CLASSIFIED|PAGE)", rest):
            return [line[:cut], rest]
    return [line]


WRAP = re.compile(r"(.{1,64})(?: +|$)")


def wrap_line(line: str) -> str:
    """Hard-wrap one line at about 65 characters, each line ending in a space, as the
    release's ``cables.csv`` is."""
    if len(line) <= 65:
        return line + " "
    return WRAP.sub(r"\1 \n", line).rstrip("\n")
