"""Split the text under a cable's header into numbered paragraphs, headings and
unnumbered blocks; find its signer and its summary."""

import re
from dataclasses import dataclass

from .cable import ParsedParagraph
from .lines import (
    BULLET_LINE,
    DASH_LINE,
    DASHED_HEADING,
    PAGE_BREAK_LINE,
    PAGE_FOOTER,
    PARAGRAPH_MARKER,
    SENTENCE_END,
    join_lines,
)
from .signer import last_text_line, take_signer

NUMBER_REFERENCE_END = re.compile(r"\b(?:paras?|paragraphs?|ref|reftel|see|and|of|in)\.?$", re.I)
# What may follow the text and its signer: transmission ends, the site's end marks, a
# lone punctuation mark, the declassification stamp of old cables.
CLOSING_LINE = re.compile(
    r"^(?:BT|NNNN|#|=*\s*CABLE ENDS\s*=*|End Cable Text|[.\"”'…]+"
    r"|Declassified/Released US Department of State EO|Systematic Review \d\d [A-Z]{3} \d{4})$",
    re.IGNORECASE,
)
REDACTION_LINE = re.compile(r"^[Xx]{4,}$")
QUOTE_ARTIFACT = re.compile(r"(?<![\w&])&(?=[^\s&])([^&\n]{0,400}?[^\s&])8(?![\w])")


def repair_quotes(text: str) -> str:
    """Show the ``&never even saw8`` artifact as real quotes: “never even saw”."""
    return QUOTE_ARTIFACT.sub(lambda match: f"“{match.group(1)}”", text)


@dataclass
class Body:
    paragraphs: list[ParsedParagraph]
    signer: str
    summary: str


def read_body(text_lines: list[str]) -> Body:
    """Split the text into numbered paragraphs, their headings, and unnumbered blocks."""
    lines = [DASHED_HEADING.sub(r"\1", line.strip()) for line in text_lines]
    lines = [
        ""
        if PAGE_BREAK_LINE.match(line) or DASH_LINE.match(line) or PAGE_FOOTER.match(line)
        else line
        for line in lines
    ]
    drop_closing_lines(lines)
    signer = take_signer(lines)
    paragraphs = numbered_paragraphs(blocks(lines))
    return Body(paragraphs=paragraphs, signer=signer, summary=find_summary(paragraphs))


def drop_closing_lines(lines: list[str]) -> None:
    """Drop what follows the text and its signer: BT, NNNN, the site's end marks, and a
    redaction the site set after those marks."""
    while lines:
        if not lines[-1] or CLOSING_LINE.match(lines[-1]):
            lines.pop()
            continue
        before = last_text_line(lines, len(lines) - 1)
        if not (REDACTION_LINE.match(lines[-1]) and CLOSING_LINE.match(lines[before])):
            return
        lines.pop()


def blocks(lines: list[str]) -> list[list[str]]:
    """Group lines into blocks: blank lines separate them, and a paragraph marker starts one."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line:
            if current:
                blocks.append(current)
                current = []
            continue
        if current and line.startswith("¶"):
            if NUMBER_REFERENCE_END.search(current[-1]):
                # ``… see para.`` / ``¶3.``: the site marked the number a sentence
                # refers to; it is text, not a paragraph.
                current[-1] = f"{current[-1]} {line.lstrip('¶')}"
                continue
            blocks.append(current)
            current = []
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def numbered_paragraphs(blocks: list[list[str]]) -> list[ParsedParagraph]:
    paragraphs: list[ParsedParagraph] = []
    pending_heading = ""
    last_number = 0
    used_anchors: set[str] = set()
    unnumbered = 0
    current: ParsedParagraph | None = None
    for position, block in enumerate(blocks):
        marker = PARAGRAPH_MARKER.match(block[0])
        number = int(marker.group("number")) if marker else None
        is_marker = marker is not None and (
            marker.group("pilcrow") is not None
            or (last_number < number <= last_number + 3)
            or (number == 1 and last_number == 0)
        )
        if (
            is_marker
            and current is not None
            and len(block) == 1
            and not marker.group("text").strip()
            and not marker.group("marking")
            and not SENTENCE_END.search(current.text[-3:])
        ):
            # ``… please see`` then ``¶3.`` alone: the number ends the sentence.
            current.text = f"{current.text} {number}."
            continue
        if is_marker:
            anchor = f"p{number}"
            if anchor in used_anchors:
                suffix = 2
                while f"{anchor}-{suffix}" in used_anchors:
                    suffix += 1
                anchor = f"{anchor}-{suffix}"
            used_anchors.add(anchor)
            marking = re.sub(r"\s*/\s*", "/", (marker.group("marking") or "").strip())
            text = join_lines([marker.group("text"), *block[1:]])
            current = ParsedParagraph(
                number=str(number),
                anchor=anchor,
                marking=marking,
                heading=pending_heading,
                text=text,
            )
            paragraphs.append(current)
            pending_heading = ""
            last_number = max(last_number, number)
            continue
        following = blocks[position + 1] if position + 1 < len(blocks) else None
        if is_heading(block, following):
            pending_heading = block[0]
            continue
        if pending_heading:
            # A short line not followed by a paragraph was text after all.
            block = [pending_heading, *block] if current is None else block
            if current is not None:
                current.text = f"{current.text}\n\n{pending_heading}"
            pending_heading = ""
        if current is None:
            unnumbered += 1
            paragraphs.append(
                ParsedParagraph(
                    number="",
                    anchor=f"t{unnumbered}",
                    marking="",
                    heading="",
                    text=join_lines(block),
                )
            )
        else:
            continue_paragraph(current, block)
    if pending_heading:
        if current is not None:
            current.text = f"{current.text}\n\n{pending_heading}"
        else:
            unnumbered += 1
            paragraphs.append(ParsedParagraph("", f"t{unnumbered}", "", "", pending_heading))
    for paragraph in paragraphs:
        paragraph.text = repair_quotes(paragraph.text)
    return paragraphs


def continue_paragraph(paragraph: ParsedParagraph, block: list[str]) -> None:
    """Append a block; a block that finishes a sentence split by a page break joins it."""
    text = join_lines(block)
    if paragraph.text and not SENTENCE_END.search(paragraph.text[-3:]) and text[:1].islower():
        paragraph.text = f"{paragraph.text} {text}"
    elif paragraph.text:
        paragraph.text = f"{paragraph.text}\n\n{text}"
    else:
        paragraph.text = text


def is_heading(block: list[str], following: list[str] | None) -> bool:
    """A lone short line, not a sentence, followed by a numbered paragraph."""
    if len(block) != 1 or following is None:
        return False
    line = block[0]
    if len(line) > 80 or SENTENCE_END.search(line) or BULLET_LINE.match(line):
        return False
    if not line[:1].isalpha() or not line[:1].isupper():
        return False
    return bool(PARAGRAPH_MARKER.match(following[0]))


SUMMARY_WORDS = (
    r"(?:(?:introduction|background)\s*(?:and|&)\s*)?summary"
    r"(?:\s*(?:,|and|&|/)\s*(?:and\s+)?"
    r"(?:introduction|comments?|action\s+requests?|background|recommendations?"
    r"|table\s+of\s+contents))*"
)
# ``Summary``, ``SUMMARY AND TABLE OF CONTENTS``, ``Summary -------`` as a paragraph's heading.
SUMMARY_HEADING = re.compile(rf"^(?:begin\s+)?{SUMMARY_WORDS}\s*[:.]?(?:\s*[-=]+)?$", re.I)
# ``Summary:``, ``(C) Summary and Action Request.``, ``SUMMARY/INTRODUCTION:``, with the
# paragraph's marking (whole, or cut to ``C)``) before it.
LABEL = (
    rf"(?:\(?[A-Z]{{1,5}}(?:\s*/+\s*[A-Z]{{1,5}})*\s*\)\s*)?(?:begin\s+)?{SUMMARY_WORDS}"
    r"\s*(?:[:.]|-+|\s-\s)\s*"
)
SUMMARY_LABEL = re.compile(rf"^{LABEL}", re.I)
SUMMARY_LABEL_IN_TEXT = re.compile(rf"(?<![\w-]){LABEL}", re.I)
END_SUMMARY = re.compile(rf"\bend\s+(?:of\s+)?{SUMMARY_WORDS}\b", re.I)
# ``(SBU)``, ``1.(U)``: a paragraph's number and marking at the summary's start.
MARKING_START = re.compile(r"^(?:\d{1,3}\.\s*)?\([A-Z]{1,5}(?:\s*/+\s*[A-Z]{1,5})*\s*\)\s*")
# ``… covera...``: a copy the release cut short, not the summary itself.
CUT_SHORT = re.compile(r"^\.\.\.|\w\.\.\.(?:\n|$)")
# A heading the text ran into after the last sentence: ``… to the USG. Other Meetings ===``.
RUN_IN_HEADING = re.compile(
    r"(?<=[.)\"”])(?:\s*\n\n|\s+(?=[^a-z.]{0,100}$|.{0,100}[-=_]{3}))[^.)\"”]{1,100}$"
)
# A summary opens one of the first paragraphs; past these, ``Summary`` is something else.
SUMMARY_OPENS_WITHIN = 3
MOST_OPENING_PARAGRAPHS = 12
MOST_SUMMARY_PARAGRAPHS = 10
SUMMARY_LONGEST = 8_000


def find_summary(paragraphs: list[ParsedParagraph]) -> str:
    """The cable's summary: from a ``Summary`` heading or label to ``End Summary``, or
    the whole paragraph so headed when the cable never ends it."""
    for index, paragraph in enumerate(opening_paragraphs(paragraphs)):
        opening = summary_opening(paragraph)
        if opening is None or CUT_SHORT.search(opening[:400]):
            continue
        following = [later.text for later in paragraphs[index + 1 :]]
        return summary_to_its_end([opening, *following] if opening else following)
    early = len("\n\n".join(paragraph.text for paragraph in opening_paragraphs(paragraphs)))
    return summary_before_its_end([paragraph.text for paragraph in paragraphs], early)


def opening_paragraphs(paragraphs: list[ParsedParagraph]) -> list[ParsedParagraph]:
    """The paragraphs up to the third numbered one: a summary opens one of these, after
    any unnumbered lines (field or database lines) before them."""
    numbered = [index for index, paragraph in enumerate(paragraphs) if paragraph.number]
    end = numbered[SUMMARY_OPENS_WITHIN - 1] + 1 if len(numbered) >= SUMMARY_OPENS_WITHIN else None
    return paragraphs[:end][:MOST_OPENING_PARAGRAPHS]


def summary_opening(paragraph: ParsedParagraph) -> str | None:
    """The text that a summary heading or label opens, or None if none does."""
    if SUMMARY_HEADING.match(paragraph.heading):
        label = SUMMARY_LABEL.match(paragraph.text)  # ``Summary`` / ``Summary: …``
        return paragraph.text[label.end() :] if label else paragraph.text
    if not paragraph.number and SUMMARY_HEADING.match(paragraph.text):
        return ""  # ``BEGIN SUMMARY`` on a line of its own: the summary follows
    if label := SUMMARY_LABEL.match(paragraph.text):
        return paragraph.text[label.end() :]
    return None


def summary_to_its_end(texts: list[str]) -> str:
    """The texts up to ``End Summary``; the first alone if the cable never ends it."""
    for count, text in enumerate(texts[:MOST_SUMMARY_PARAGRAPHS], start=1):
        if match := END_SUMMARY.search(text):
            summary = clean_summary([*texts[: count - 1], text[: match.start()]])
            return summary if len(summary) <= SUMMARY_LONGEST else ""
    if any(END_SUMMARY.search(text) for text in texts[MOST_SUMMARY_PARAGRAPHS:]):
        return ""  # ended too far away to be this heading's summary
    return RUN_IN_HEADING.sub("", clean_summary(texts[:1]))


def summary_before_its_end(texts: list[str], early: int) -> str:
    """Where no paragraph opens with it (database lines, an action line or a missed
    marking came first): from the first label before ``End Summary``, or from the start
    of an early paragraph (within ``early`` characters) that ``End Summary`` closes."""
    text = "\n\n".join(texts)
    end = END_SUMMARY.search(text)
    if not end:
        return ""
    window_start = max(0, end.start() - SUMMARY_LONGEST)
    if label := SUMMARY_LABEL_IN_TEXT.search(text, window_start, end.start()):
        start = label.end()
    elif end.start() <= early:
        paragraph_start = text.rfind("\n\n", 0, end.start())
        start = paragraph_start + 2 if paragraph_start >= 0 else 0
    else:
        return ""
    return clean_summary(text[start : end.start()].split("\n\n"))


def clean_summary(parts: list[str]) -> str:
    """Drop the markings, underlines and brackets that the summary's edges carry."""
    cleaned = [MARKING_START.sub("", without_underlines(part).lstrip(":; ")) for part in parts]
    return "\n\n".join(part for part in cleaned if part).rstrip(" -(\n")


def without_underlines(text: str) -> str:
    """``------- Higher food prices …`` -> ``Higher food prices …``: the dashes that
    underline a heading, at either edge (a ``--`` bullet stays)."""
    text = text.strip()
    head = text[: len(text) - len(text.lstrip("-=_ \n"))]
    if any(mark * 3 in head for mark in "-=_"):
        text = text[len(head) :]
    tail = text[len(text.rstrip("-=_ \n")) :]
    if any(mark * 3 in tail for mark in "-=_"):
        text = text[: len(text) - len(tail)]
    return text
