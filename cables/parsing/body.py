"""Split the text under a cable's header into numbered paragraphs, headings and
unnumbered blocks; find its signer and its summary."""

import re
from dataclasses import dataclass

from .cable import ParsedParagraph
from .lines import (
    BULLET_LINE,
    DASH_LINE,
    DASHED_HEADING,
    END_LINES,
    PAGE_BREAK_LINE,
    PAGE_FOOTER,
    PARAGRAPH_MARKER,
    SENTENCE_END,
    join_lines,
)

NUMBER_REFERENCE_END = re.compile(r"\b(?:paras?|paragraphs?|ref|reftel|see|and|of|in)\.?$", re.I)
SIGNER_LINE = re.compile(r"^[A-Z][A-Za-z.'-]*(?:[ /][A-Z][A-Za-z.'-]*){0,3}$")
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
    while lines and not lines[-1]:
        lines.pop()
    # The signer's name closes the cable, after any BT/NNNN lines.
    while lines and (lines[-1] in END_LINES or not lines[-1]):
        lines.pop()
    signer = ""
    if lines and SIGNER_LINE.match(lines[-1]) and len(lines[-1]) <= 40 and len(lines) > 1:
        signer = lines.pop()
    paragraphs = numbered_paragraphs(blocks(lines))
    return Body(paragraphs=paragraphs, signer=signer, summary=find_summary(paragraphs))


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


def find_summary(paragraphs: list[ParsedParagraph]) -> str:
    text = "\n\n".join(paragraph.text for paragraph in paragraphs)
    if "END" not in text.upper():
        return ""
    match = re.search(
        r"\bSUMMARY\s*[:.-]\s*(.+?)\s*\bEND\s+SUMMARY\b", text, re.DOTALL | re.IGNORECASE
    )
    if not match or len(match.group(1)) > 20_000:
        return ""
    return match.group(1).strip(" .")
