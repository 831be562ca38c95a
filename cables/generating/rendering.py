"""Rendering, the expensive part: one plan becomes a full cable.

:func:`render` draws from a unit's random stream everything the plan leaves open:
1–8 TAGS, 2–30 numbered paragraphs averaging about 6,700 characters of text, with
markings, headings, bullets, REF lines naming earlier generated cables, page-break lines,
``&…8`` quote artifacts and ``XXXXXXXXXXXX`` redactions. Every subject begins
``SYNTHETIC:`` and every first paragraph begins ``(U) SYNTHETIC CABLE generated for
testing; not a real cable.``
"""

from __future__ import annotations

import bisect
import math
import random
import re
from collections.abc import Callable

from .formats import SyntheticCable, SyntheticParagraph
from .shape import (
    CLASSIFICATIONS,
    COUNTRY_LIST,
    SENDERS,
    TAG_CUMULATIVE,
    TAG_VOCABULARY,
    TAGS_CUMULATIVE,
    Plan,
    _words,
    reference_id,
)
from .words import SENTENCE_END_CHARS, WordModel

TEXT_MEAN = 6_700  # characters of paragraph text per cable, on average
PAGE_SIZE = 3_000  # characters of text per printed page (page-break lines)

NOTICE = "SYNTHETIC CABLE generated for testing; not a real cable."
SUBJECT_PREFIX = "SYNTHETIC: "

SURNAMES = _words(
    "HARLOW MENDEZ OKAFOR LINDQVIST BRANDT CALLOWAY DUBOIS FERRIS GALLAGHER HOLLIS IVERSON "
    "JANSEN KOWALSKI LOCKHART MARLOWE NAKAMURA OSTROM PRESCOTT QUINLAN ROWAN SANTORO "
    "THACKERAY UPTON VANCE WHITLOCK YARDLEY ZIEGLER ABERNATHY BECKETT CRANSTON"
)
OFFICER_TITLES = (
    "Ambassador",
    "Charge d'Affaires",
    "Deputy Chief of Mission",
    "Political Counselor",
    "Economic Counselor",
    "Pol/Econ Chief",
    "Consul General",
)
ADDRESSEE_LINES = (
    "DEPARTMENT FOR INL",
    "STATE FOR EUR/SE AND EEB",
    "DEPT FOR WHA/MEX",
    "NSC FOR SENIOR DIRECTOR",
    "STATE FOR NEA/ARP AND S/CT",
    "DEPT FOR AF/E AND DRL",
    "TREASURY FOR OASIA",
    "STATE PASS USTR",
    "DEPT FOR EAP/J AND EAP/CM",
)
MARKINGS = {
    "UNCLASSIFIED": (("U", 1.0),),
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY": (("SBU", 0.8), ("U", 0.2)),
    "CONFIDENTIAL": (("C", 0.75), ("U", 0.15), ("SBU", 0.1)),
    "CONFIDENTIAL//NOFORN": (("C/NF", 0.45), ("C", 0.4), ("U", 0.15)),
    "SECRET": (("S", 0.5), ("C", 0.35), ("U", 0.15)),
    "SECRET//NOFORN": (("S/NF", 0.5), ("S", 0.2), ("C", 0.2), ("U", 0.1)),
}


def draw(rand: Callable[[], float], weighted: tuple[tuple[str, float], ...]) -> str:
    roll = rand()
    for value, weight in weighted:
        roll -= weight
        if roll < 0:
            return value
    return weighted[-1][0]


def render(plan: Plan, model: WordModel, rng: random.Random) -> SyntheticCable:
    """Turn one plan into a full cable, drawing everything else from ``rng``."""
    rand = rng.random
    sender = SENDERS[plan.sender]
    date = plan.date
    classification = CLASSIFICATIONS[plan.classification]
    level = classification.split("//")[0]
    old_style = date.year < 1990
    noforn = classification.endswith("NOFORN")
    sensitive = classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"

    # Classification line and caveats.
    if old_style:
        level_word = {"UNCLASSIFIED": "UNCLASSIFIED"}.get(level, level)
        if sensitive:
            level_word = "LIMITED OFFICIAL USE"
    elif level == "UNCLASSIFIED":
        level_word = "UNCLAS"
    elif level == "CONFIDENTIAL":
        level_word = "C O N F I D E N T I A L" if rand() < 0.85 else "CONFIDENTIAL"
    else:
        level_word = "S E C R E T" if rand() < 0.85 else "SECRET"
    caveats_on_line = not old_style and (sensitive or noforn) and rand() < 0.3
    caveats: list[str] = []
    if caveats_on_line:
        caveats.append("SENSITIVE" if sensitive else "NOFORN")
    if date.year >= 2003 and not old_style:
        caveats.append("SIPDIS")
    if not caveats_on_line:
        if sensitive and not old_style:
            caveats.insert(int(rand() < 0.5), "SENSITIVE")
        if noforn:
            caveats.insert(0, "NOFORN")
    if rand() < 0.04 and level != "UNCLASSIFIED" and not old_style:
        caveats.append("EXDIS" if rand() < 0.7 else "NODIS")

    # Tags: 1–8, the post's country last when there are two or more.
    wanted = bisect.bisect(TAGS_CUMULATIVE, rand() * TAGS_CUMULATIVE[-1]) + 1
    wanted = min(wanted, 8)
    country = sender.country or COUNTRY_LIST[int(rand() * len(COUNTRY_LIST))]
    tags: list[str] = []
    tag_total = TAG_CUMULATIVE[-1]
    while len(tags) < wanted - (1 if wanted > 1 else 0):
        tag = TAG_VOCABULARY[
            min(bisect.bisect(TAG_CUMULATIVE, rand() * tag_total), len(TAG_VOCABULARY) - 1)
        ]
        if tag not in tags and tag != country:
            tags.append(tag)
    if wanted > 1:
        tags.append(country)

    # Text: a total length drawn around the mean, split into 2–30 paragraphs.
    total = int(math.exp(math.log(TEXT_MEAN) - 0.21 + 0.7 * rng.gauss(0, 1)))
    total = max(700, min(total, 60_000))
    count = max(2, min(30, round(total / (450 + 650 * rand()))))
    shares = [0.3 + rand() for _ in range(count)]
    scale = total / sum(shares)
    markings = MARKINGS[classification]
    paragraphs: list[SyntheticParagraph] = []
    headed = rand() < 0.35
    for number, share in enumerate(shares, start=1):
        length = max(60, int(share * scale) - 45)
        bullets: list[str] = []
        if number > 1 and rand() < 0.12:
            pieces = 1 + int(rand() * 4)
            bullet_length = length // (pieces + 1)
            bullets = [model.text(rand, bullet_length) for _ in range(pieces)]
            length -= bullet_length * pieces
        if number == 1:
            marking = "U"
            if rand() < 0.3:
                text = f"{NOTICE} Summary: {model.text(rand, length)} End summary."
            else:
                text = f"{NOTICE} {model.text(rand, length)}"
        else:
            marking = draw(rand, markings)
            text = model.text(rand, length)
        heading = ""
        if headed and number > 1 and rand() < 0.3:
            heading = make_heading(model.phrase(rand, 2 + int(rand() * 3)))
        paragraphs.append(
            SyntheticParagraph(
                number=number,
                marking="" if old_style else marking,
                heading=heading,
                text=text,
                bullets=bullets,
            )
        )
    if rand() < 0.08:
        add_quote_artifact(paragraphs[-1 if count < 3 else 1 + int(rand() * (count - 1))], rand)
    if rand() < 0.12:
        add_redaction(paragraphs[1 + int(rand() * (count - 1))], model, rand)
    text_length = sum(
        len(paragraph.text) + sum(len(bullet) for bullet in paragraph.bullets)
        for paragraph in paragraphs
    )
    pages = place_page_breaks(paragraphs, text_length, rand)

    subject_words = model.phrase(rand, 3 + int(rand() * 8))
    subject = SUBJECT_PREFIX + " ".join(subject_words).upper()

    # References: A. 08 MEXICO 1234; same-year ones sometimes without the year.
    references: list[str] = []
    reference_items: list[str] = []
    for year, cited_sender, serial in plan.references:
        cited = SENDERS[cited_sender]
        references.append(f"{year % 100:02d}{cited.post.replace(' ', '')}{serial}")
        written_year = "" if year == date.year and rand() < 0.4 else f"{year % 100:02d} "
        reference_items.append(f"{written_year}{cited.post} {serial:02d}")
    reference_lines: list[str] = []
    if len(reference_items) == 1:
        reference_lines = [f"REF: {reference_items[0]}"]
    elif reference_items:
        lettered = [f"{'ABCDEFGH'[i]}. {item}" for i, item in enumerate(reference_items)]
        if rand() < 0.5:
            reference_lines = ["REF: " + " ".join(lettered)]
        else:
            reference_lines = [f"REF: {lettered[0]}", *lettered[1:]]

    classified_by = ""
    if level != "UNCLASSIFIED" and not old_style:
        officer = (
            f"{OFFICER_TITLES[int(rand() * len(OFFICER_TITLES))]} {rng.choice(SURNAMES).title()}"
        )
        classified_by = f"Classified By: {officer} for reasons 1.4 (b) and (d)."
    if old_style:
        eo_line = "E.O. 11652: GDS" if level != "UNCLASSIFIED" else "E.O. 11652: N/A"
    elif level == "UNCLASSIFIED":
        eo_line = "E.O. 12958: N/A"
    else:
        eo_line = f"E.O. 12958: DECL: {date:%m/%d}/{date.year + 10}"
    info = [
        SENDERS[int(rand() * 60)]
        for _ in range(int(rand() * 5) + (sender.code == "SECSTATE WASHDC"))
    ]
    info = [other for other in dict.fromkeys(info) if other is not sender] or [
        SENDERS[1 if sender is not SENDERS[1] else 2]
    ]
    return SyntheticCable(
        index=plan.index,
        reference_id=reference_id(date.year, plan.sender, plan.serial),
        date=date,
        sender=sender,
        serial=plan.serial,
        classification=classification,
        caveats=caveats,
        tags=tags,
        subject=subject,
        references=references,
        paragraphs=paragraphs,
        old_style=old_style,
        precedence=draw(rand, (("R", 0.7), ("P", 0.2), ("O", 0.09), ("Z", 0.01))),
        transmission=int(rand() * 10000),
        info=info,
        level_word=level_word,
        caveats_on_line=caveats_on_line,
        addressee=ADDRESSEE_LINES[int(rand() * len(ADDRESSEE_LINES))] if rand() < 0.3 else "",
        eo_line=eo_line,
        reference_lines=reference_lines,
        classified_by=classified_by,
        signer=rng.choice(SURNAMES),
        pages=pages,
        pilcrow_after_nine=rand() < 0.7,
        tags_with_commas=rand() < 0.8,
        dashed_headings=rand() < 0.1,
    )


def make_heading(words: list[str]) -> str:
    """A short title-cased line that the parser reads as a heading, not a field or text."""
    words = [word for word in words if word.isalpha()] or ["Background"]
    heading = " ".join(word[:1].upper() + word[1:] for word in words)
    if re.match(r"^(?:TAGS|REFS?|SUBJ|DECL|EO|CLASSIFIED|PAGE)\b", heading.upper()):
        heading = "On " + heading
    if len(heading.split()) < 2:
        heading += " Outlook"
    return heading[:60].rstrip()


def add_quote_artifact(paragraph: SyntheticParagraph, rand: Callable[[], float]) -> None:
    """``&…8`` for a quoted phrase, as in 58 bodies of the release."""
    words = paragraph.text.split(" ")
    if len(words) < 12:
        return
    start = 4 + int(rand() * (len(words) - 10))
    end = start + 2 + int(rand() * 3)
    phrase = [word.strip('"&8') for word in words[start:end]]
    if all(phrase) and phrase[-1][-1].isalnum():
        words[start:end] = ["&" + " ".join(phrase) + "8"]
        paragraph.text = " ".join(words)


def add_redaction(
    paragraph: SyntheticParagraph, model: WordModel, rand: Callable[[], float]
) -> None:
    """A name (a capitalised word inside a sentence) written ``XXXXXXXXXXXX``."""
    words = paragraph.text.split(" ")
    candidates = [
        i
        for i in range(2, len(words))
        if words[i].isalpha()
        and words[i][:1].isupper()
        and not words[i - 1].endswith(SENTENCE_END_CHARS)
    ]
    if candidates:
        words[candidates[int(rand() * len(candidates))]] = "XXXXXXXXXXXX"
        paragraph.text = " ".join(words)


def place_page_breaks(
    paragraphs: list[SyntheticParagraph], text_length: int, rand: Callable[[], float]
) -> int:
    """A page-break line every ``PAGE_SIZE`` characters: before a block, or inside a
    paragraph's first block where a sentence goes on in lower case (the parser joins
    it again). Returns the number of pages."""
    pages = 1
    position = 0
    for paragraph in paragraphs:
        blocks = [paragraph.text, *paragraph.bullets]
        for number, block in enumerate(blocks):
            if position + len(block) >= pages * PAGE_SIZE:
                if position >= pages * PAGE_SIZE - 400 or number > 0 or rand() < 0.4:
                    if not (number == 0 and paragraph.number == 1 and pages == 1 and position == 0):
                        paragraph.breaks.append((number, -1))
                        pages += 1
                else:
                    cut = split_point(block, pages * PAGE_SIZE - position)
                    if cut > 0:
                        paragraph.breaks.append((number, cut))
                        pages += 1
            position += len(block)
    return pages


def split_point(text: str, near: int) -> int:
    """Where a page break can split ``text`` mid-sentence: a space after a word that does
    not end a sentence and before one in lower case; -1 if there is none."""
    start = max(20, min(near, len(text) - 40))
    for _ in range(40):
        space = text.find(" ", start)
        if space < 0 or space > len(text) - 20:
            return -1
        before, after = text[space - 1], text[space + 1 : space + 2]
        if after.islower() and before.isalpha():
            return space + 1
        start = space + 1
    return -1
