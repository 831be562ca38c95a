"""Parse the text of one cable into its metadata and numbered paragraphs.

A cable's text is a routing header (transmission id, precedence and date-time
group, ``FM``/``TO``/``INFO`` lines) followed by a body: the classification line,
handling caveats, ``E.O.``, ``TAGS``, ``SUBJECT``, ``REF`` and ``Classified By``
lines, then paragraphs numbered ``¶1.`` or ``1.`` with a marking such as ``(SBU)``,
and the signer's name. Page-break lines (``MEXICO 00002160  002 OF 004``) are
dropped and the sentence they split is joined again.

Every pattern here is anchored to one line, so parsing is linear in the size of
the text.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..tag_descriptions import COUNTRY_TAGS, ORGANIZATION_TAGS, SUBJECT_TAGS
from .errors import ParseError
from .senders import OFFICE_PREFIXES, address_from_post, normalize_address, sender_name

CLASSIFICATIONS = (
    "UNCLASSIFIED",
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "CONFIDENTIAL",
    "CONFIDENTIAL//NOFORN",
    "SECRET",
    "SECRET//NOFORN",
)

CAVEATS = (
    "SIPDIS",
    "SENSITIVE",
    "NOFORN",
    "EXDIS",
    "NODIS",
    "LIMDIS",
    "STADIS",
    "EFTO",
    "ROGER",
    "CHEROKEE",
)

PRECEDENCES = {"Z": "FLASH", "O": "IMMEDIATE", "P": "PRIORITY", "R": "ROUTINE"}

MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}

KNOWN_TAGS = frozenset(SUBJECT_TAGS) | frozenset(COUNTRY_TAGS) | frozenset(ORGANIZATION_TAGS)
OFFICE_CODES = tuple(f"{prefix} " for prefix in OFFICE_PREFIXES)

PARTIAL_NOTICE = "This record is a partial extract of the original cable"


@dataclass
class ParsedSender:
    code: str  # the telegraphic address: AMEMBASSY MEXICO
    name: str  # the release's name: Embassy Mexico


@dataclass
class ParsedParagraph:
    number: str  # the cable's own number ("1", "10"), or "" for unnumbered text
    anchor: str  # "p3" for ¶3; "p3-2" for a second ¶3; "t1" for unnumbered text
    marking: str  # "SBU", "C", "S/NF", … or ""
    heading: str
    text: str


@dataclass
class ParsedCable:
    reference_id: str
    date: datetime | None
    date_source: str  # "dtg", "de", "database" or "" (where ``date`` came from)
    sender: ParsedSender | None
    classification: str
    caveats: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    subject: str = ""
    to: list[str] = field(default_factory=list)
    info: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    reference_lines: str = ""
    signer: str = ""
    classified_by: str = ""
    declassify_on: str = ""
    precedence: str = ""
    transmission_id: str = ""
    summary: str = ""
    is_partial: bool = False
    # The post and serial of the classification line (``MEXICO``, ``2160``): with the
    # year, the reference id. Kept apart for texts that carry no year at all.
    post: str = ""
    serial: str = ""
    paragraphs: list[ParsedParagraph] = field(default_factory=list)


# --- line patterns -----------------------------------------------------------------

DTG_LINE = re.compile(
    r"^(?P<precedence>[ZOPR](?:\s+[ZOPR])?)?\s*"
    r"(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})Z\s+"
    r"(?P<month>[A-Za-z]{3})\s+(?P<year>\d{2}|\d{4})\b"
)
DE_LINE = re.compile(r"^DE\s+\w+\s+#(?P<serial>\d+)(?:/\d+)?\s+(?P<julian>\d{3})(?P<time>\d{4})")
DATABASE_DATE_LINE = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$")
LONG_DATE_LINE = re.compile(
    r"^(?:[A-Z][a-z]+day,\s+)?(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4}),\s+(\d{2}):(\d{2})$"
)
TRANSMISSION_LINE = re.compile(r"^(VZCZC\w+)")
ROUTING_PREFIX = re.compile(r"^[A-Z0-9]{4,8}/")
PAGE_BREAK_LINE = re.compile(
    r"^(?:[A-Z][A-Z .'()-]*\s+\d{5,}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}|PAGE\s+\d{2,3}\s+.*)$"
)
# The level repeated at the foot and head of each page of old telegrams.
PAGE_FOOTER = re.compile(
    r"^(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)(?:\s+PTQ\d+)?$"
)
# ``------- OVERVIEW AND ACTIVITIES -------``: a heading set between dashes on one line.
DASHED_HEADING = re.compile(r"^-{3,}\s*([A-Za-z][^-]{0,78}?)\s*-{3,}$")
DASH_LINE = re.compile(r"^[-=_*]{3,}(?:\s+[-=_*]+)*$")
# Levels written with spaces between some or all letters (``C O N F I D E N T I A L``,
# ``C ONFIDENTIAL``, ``SS E C R E T``), never matching a longer word (``SECRETARY``).
SPACED_LEVELS = [
    (
        level,
        re.compile("^" + ("S? ?" if level == "SECRET" else "") + " ?".join(level) + "(?![A-Z])"),
    )
    for level in ("UNCLASSIFIED", "UNCLAS", "CONFIDENTIAL", "SECRET")
]
CLASSIFICATION_LINE = re.compile(
    r"^(?P<level>UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\b(?P<rest>.*)$"
)
SECTION = re.compile(r"\bSECTION\s+\d+\s+OF\s+\d+\b")
# The post and serial after the level: ``MEXICO 002160``, ``STATE 068250``, ``THE HAGUE 000004``.
CLASSIFICATION_POST = re.compile(r"(?P<post>[A-Z][A-Z .'-]*?)\s+0*(?P<serial>\d{1,7})(?!\d)")
# Caveats may be glued to what precedes them (``001557SENSITIVE SIPDISDOE``) in some renderings.
CAVEAT_WORD = re.compile(r"(?<![A-Z])(" + "|".join(CAVEATS) + r")(?![a-z])")
FIELD_LINE = re.compile(
    r"^(?P<name>E\.\s?O\.|EO|TAGS|SUBJ(?:ECT)?|REFS?|CLASSIFIED BY|DECL)(?![A-Za-z])"
    r"\s*:?\s*(?P<value>.*)$",
    re.IGNORECASE,
)
PARAGRAPH_MARKER = re.compile(
    r"^(?P<pilcrow>¶\s*)?(?P<number>\d{1,3})\s*\.(?:\s+|$|(?=\())"
    r"(?:\((?P<marking>[A-Z]{1,5}(?:\s*//?\s*[A-Za-z][A-Za-z ,.]{0,40}|-[A-Z]{1,4})?)\)\s*)?"
    r"(?P<text>.*)$"
)
# ``Subject: TRIPOLI 00000642 R CO 12-AUG-08 HANNIBAL GOES TO SEA … [7909670]``
FORWARDED_SUBJECT = re.compile(
    r"^Subject:\s*(?:[A-Z ]+\s\d+\s+[A-Z]\s+[A-Z]{1,2}\s+\d{1,2}-[A-Z]{3}-\d{2}\s+)?"
    r"(.+?)\s*(?:\[\d+\])?$"
)
REFERENCE_LIST_ITEM = re.compile(r"^¶?[A-Z][.)]\s+\S")
NUMBER_REFERENCE_END = re.compile(r"\b(?:paras?|paragraphs?|ref|reftel|see|and|of|in)\.?$", re.I)
TAG_LINK = re.compile(r"\[([^\]]+)\]\(#\)")
BULLET_LINE = re.compile(r"^(?:--|-\s|\*\s|o\s|[A-Z]\.\s|\([A-Za-z0-9]{1,3}\)\s)")
SIGNER_LINE = re.compile(r"^[A-Z][A-Za-z.'-]*(?:[ /][A-Z][A-Za-z.'-]*){0,3}$")
REFERENCE_ITEM = re.compile(
    r"(?:\b(?P<year>\d{2})\s+)?\b(?P<post>[A-Z][A-Z]+(?: [A-Z]+){0,3})\s+0*(?P<serial>\d{2,6})\b"
)
QUOTE_ARTIFACT = re.compile(r"(?<![\w&])&(?=[^\s&])([^&\n]{0,400}?[^\s&])8(?![\w])")
STRAIGHT_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
SENTENCE_END = re.compile(r"[.:;!?)\]\"”'/]$")
END_LINES = {"BT", "NNNN", "#"}
# Some renderings run the classification, E.O., TAGS and SUBJECT lines into one.
RUN_TOGETHER_FIELDS = re.compile(
    r"\s*(?=E\.\s?O\.\s?\d|TAGS:|SUBJECT:|SUBJ:|REF:|Classified By:)|(?<=T\d\d:\d\d:\d\d)"
)
HEADER_LINES = 600
# ``ZNY CCCCC ZZH``: the transmission's own classification, a letter repeated five times.
TRANSMISSION_LEVEL = re.compile(r"^ZN[YR]\s+([UCSE])\1{4}\b")
TRANSMISSION_LEVELS = {"U": "UNCLASSIFIED", "E": "UNCLASSIFIED", "C": "CONFIDENTIAL", "S": "SECRET"}
CABLE_DATED = re.compile(r"^Cable dated:\s*(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)")


def repair_quotes(text: str) -> str:
    """Show the ``&never even saw8`` artifact as real quotes: “never even saw”."""
    return QUOTE_ARTIFACT.sub(lambda match: f"“{match.group(1)}”", text)


def may_run_together(line: str) -> bool:
    """A cheap test before RUN_TOGETHER_FIELDS: could this line hold several fields?"""
    return len(line) > 20 and any(
        key in line
        for key in ("E.O", "EO ", "TAGS", "SUBJ", "REF:", "Classified", "T0", "T1", "T2")
    )


def marking_line(line: str) -> str:
    """Upper-case a classification or caveat line and join letter-spaced words.

    ``C O N F I D E N T I A L SECTION 01`` -> ``CONFIDENTIAL SECTION 01``;
    ``S e c r e t state 068250`` -> ``SECRET STATE 068250``; ``SS E C R E T`` -> ``SECRET``.
    """
    # A raw cables.csv row leaked before the text leaves ``","`` in front of the line.
    line = line.strip().lstrip("\",' ").upper()
    for level, pattern in SPACED_LEVELS:
        if match := pattern.match(line):
            line = level + line[match.end() :]
            break
    return re.sub(r"[^A-Z0-9)]+$", "", line)


DANGLING_WORDS = {
    "A",
    "AN",
    "AND",
    "AT",
    "BY",
    "FOR",
    "FROM",
    "IN",
    "OF",
    "ON",
    "OR",
    "THE",
    "TO",
    "WITH",
}


def dangling(line: str) -> bool:
    """A line ending on a word that cannot end a subject: ``… VISIT TO``."""
    words = line.split()
    return bool(words) and words[-1].upper() in DANGLING_WORDS


def split_run_together_tag(tag: str) -> list[str]:
    """``ETRDEINVTINTCS`` -> ``ETRD``, ``EINV``, ``TINT``, ``CS``: an unknown tag that reads
    wholly as known codes is those codes. Anything else stays as it is."""
    if tag in KNOWN_TAGS or len(tag) < 5 or not tag.isalpha():
        return [tag]
    # splits[i]: a way to read tag[:i] as known codes (fewest pieces), or None.
    splits: list[list[str] | None] = [[]] + [None] * len(tag)
    for end in range(1, len(tag) + 1):
        for length in (4, 2, 3, 5, 6):
            start = end - length
            if start >= 0 and splits[start] is not None and tag[start:end] in KNOWN_TAGS:
                candidate = [*splits[start], tag[start:end]]
                if splits[end] is None or len(candidate) < len(splits[end]):
                    splits[end] = candidate
    pieces = splits[-1] or []
    long_codes = sum(len(piece) >= 4 for piece in pieces)
    # Words are not run-together tags: POLITICS would read as PO LI TI CS.
    if len(pieces) < 2 or long_codes == 0 or len(pieces) - long_codes > long_codes:
        return [tag]
    return pieces


def expand_year(year: str) -> int:
    if len(year) == 4:
        return int(year)
    value = int(year)
    return 1900 + value if value >= 60 else 2000 + value


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines with one space; bullets and list items keep their own line."""
    out: list[list[str]] = []
    for line in lines:
        line = " ".join(line.split())
        if not line:
            continue
        if out and not BULLET_LINE.match(line):
            last = out[-1][-1]
            # ``JURIS-`` / ``DICTION``: a word hyphenated at the line's end is one word.
            if last[-1:] == "-" and last[-2:-1].isalpha():
                out[-1][-1] = last + line
            else:
                out[-1].append(line)
        else:
            out.append([line])
    return "\n".join(" ".join(parts) for parts in out)


# --- the parser -----------------------------------------------------------------------


class _CableReader:
    """One pass over one cable's lines; ``parse_cable`` is its only user."""

    def __init__(self, text: str):
        if "\x00" in text:
            raise ParseError("binary data (NUL bytes) in the text")
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
        self.lines = [line.rstrip().rstrip("\\").rstrip() for line in text.split("\n")]
        head = [
            part
            for line in self.lines[:HEADER_LINES]
            for part in (RUN_TOGETHER_FIELDS.split(line) if may_run_together(line) else (line,))
        ]
        self.lines[:HEADER_LINES] = head
        if not any(line.strip() for line in self.lines):
            raise ParseError("empty text: no cable in it")
        self.cable = ParsedCable(
            reference_id="", date=None, date_source="", sender=None, classification=""
        )
        self.database_date: datetime | None = None
        self.forwarded_subject = ""
        self.de_serial = ""
        self.de_julian: tuple[int, int, int] | None = None
        self.dtg_year: int | None = None
        self.post_and_serial: tuple[str, str] | None = None

    def parse(self) -> ParsedCable:
        cable = self.cable
        cable.is_partial = any(PARTIAL_NOTICE in line for line in self.lines[:40])
        self.drop_forwarding_preamble()
        self.drop_leaked_database_lines()
        body_start = self.read_header()
        body_start = self.read_classification(body_start)
        body_start = self.read_fields(body_start)
        self.read_body(body_start)
        self.settle_date()
        year = cable.date.year if cable.date else self.dtg_year
        cable.references = split_references(cable.reference_lines, year)
        self.settle_reference_id()
        self.settle_sender()
        self.settle_classification()
        if not (cable.reference_id or cable.paragraphs or cable.subject):
            raise ParseError(
                "no cable found: no header, classification line, subject or paragraphs"
            )
        return cable

    def drop_forwarding_preamble(self) -> None:
        """Some cables were released as forwarded e-mails (From:, Sent:, Subject: …)
        with the telegram below: start at its ``VZCZC`` line."""
        for index, line in enumerate(self.lines[:40]):
            if TRANSMISSION_LINE.match(line.strip()):
                preamble = self.lines[:index]
                if any(re.match(r"^(From|Sent|To|Subject):", before) for before in preamble):
                    for before in preamble:
                        if subject := FORWARDED_SUBJECT.match(before):
                            self.forwarded_subject = subject.group(1).strip()
                    del self.lines[:index]
                return

    # The Cablegate pages sometimes leak the database row (id, date, reference id,
    # origin, classification) and a second copy of the header into the body.
    def drop_leaked_database_lines(self) -> None:
        lines = self.lines
        for index in range(min(len(lines), 80) - 2):
            if not lines[index][:1].isdigit():
                continue
            fields = lines[index].split("\t")
            if len(fields) >= 6 and re.fullmatch(r"\d{1,7}", fields[0].strip()):
                # The row as tab-separated values on one line, the header glued to its end.
                match = DATABASE_DATE_LINE.match(fields[1].strip())
                lines[index] = "\t".join(fields[6:])
                end = index
            elif re.fullmatch(r"\d{1,7}", lines[index].strip()):
                match = DATABASE_DATE_LINE.match(lines[index + 1].strip())
                end = index + 5
            else:
                continue
            if match:
                year, month, day, hour, minute = (int(value) for value in match.groups()[:5])
                self.database_date = datetime(year, month, day, hour, minute, tzinfo=UTC)
                # The repeated header runs up to its own TAGS line, when the real text
                # has a TAGS line of its own further on.
                tags_lines = [
                    later
                    for later in range(end, min(len(lines), end + 120))
                    if lines[later].strip().upper().startswith("TAGS")
                ]
                if len(tags_lines) >= 2:
                    end = tags_lines[0] + 1
                del lines[index:end]
                return

    def read_header(self) -> int:
        """Read the routing header; return the index where the body starts."""
        cable, lines = self.cable, self.lines
        recipients: list[str] | None = None
        index = 0
        for index, raw in enumerate(lines):
            line = raw.strip()
            if not line:
                if recipients is not None:
                    recipients = None
                continue
            # A bare level (``CONFIDENTIAL PTQ1859``) heads old telegrams before their FM line.
            if FIELD_LINE.match(line) or self.is_classification_line(line):
                return index
            if PARAGRAPH_MARKER.match(line) or index > HEADER_LINES:
                return index
            if match := TRANSMISSION_LINE.match(line):
                cable.transmission_id = cable.transmission_id or match.group(1)
                recipients = None
            elif (match := DTG_LINE.match(line)) and cable.date is None:
                self.read_dtg(match)
                recipients = None
            elif match := DE_LINE.match(line):
                self.de_serial = match.group("serial")
                julian, time = int(match.group("julian")), match.group("time")
                self.de_julian = (julian, int(time[:2]), int(time[2:]))
                recipients = None
            elif line.startswith("FM "):
                code = normalize_address(line[3:])
                cable.sender = ParsedSender(code=code, name=sender_name(code))
                recipients = None
            elif line.startswith("TO "):
                recipients = cable.to
                recipients.append(self.recipient(line[3:]))
            elif line.startswith("INFO "):
                recipients = cable.info
                recipients.append(self.recipient(line[5:]))
            elif line in END_LINES or line.startswith(("ZNR ", "ZNY ", "ZFF", "ZEX")):
                if match := TRANSMISSION_LEVEL.match(line):
                    self.transmission_level = TRANSMISSION_LEVELS[match.group(1)]
                recipients = None
            elif match := CABLE_DATED.match(line):
                self.read_cable_dated(match)
            elif match := LONG_DATE_LINE.match(line):
                self.read_long_date(match)
            elif recipients is not None:
                recipients.append(self.recipient(line))
        return len(lines) if index >= len(lines) - 1 else index

    @staticmethod
    def is_classification_line(line: str) -> bool:
        match = CLASSIFICATION_LINE.match(marking_line(line))
        return bool(match and CLASSIFICATION_POST.search(SECTION.sub(" ", match.group("rest"))))

    @staticmethod
    def recipient(text: str) -> str:
        return normalize_address(ROUTING_PREFIX.sub("", text.strip()))

    def read_dtg(self, match: re.Match) -> None:
        month = MONTHS.get(match.group("month").upper())
        if month is None:
            return
        year = expand_year(match.group("year"))
        try:
            self.cable.date = datetime(
                year,
                month,
                int(match.group("day")),
                int(match.group("hour")),
                int(match.group("minute")),
                tzinfo=UTC,
            )
        except ValueError:
            return
        self.cable.date_source = "dtg"
        self.dtg_year = year
        if match.group("precedence"):
            self.cable.precedence = PRECEDENCES[match.group("precedence")[0]]

    def read_cable_dated(self, match: re.Match) -> None:
        """``Cable dated:2006-01-30T13:38:00``: the date line of some partial extracts."""
        if self.cable.date is None:
            year, month, day, hour, minute = (int(value) for value in match.groups())
            self.cable.date = datetime(year, month, day, hour, minute, tzinfo=UTC)
            self.cable.date_source = "dtg"
            self.dtg_year = year

    def read_long_date(self, match: re.Match) -> None:
        """``Friday, 27 August 2004, 08:08``: the date line of partial extracts."""
        if self.cable.date is not None:
            return
        try:
            day, month, year, hour, minute = match.groups()
            parsed = datetime.strptime(f"{day} {month} {year} {hour}:{minute}", "%d %B %Y %H:%M")
        except ValueError:
            return
        self.cable.date = parsed.replace(tzinfo=UTC)
        self.cable.date_source = "dtg"
        self.dtg_year = parsed.year

    def read_classification(self, start: int) -> int:
        """Read the classification line, and the caveats on it and on the lines under it
        (up to the E.O./TAGS/SUBJECT lines or the first paragraph)."""
        lines = self.lines
        for index in range(start, min(len(lines), start + 40)):
            if match := LONG_DATE_LINE.match(lines[index].strip()):
                self.read_long_date(match)
                continue
            if match := CABLE_DATED.match(lines[index].strip()):
                self.read_cable_dated(match)
                continue
            line = marking_line(lines[index])
            match = CLASSIFICATION_LINE.match(line)
            if not match:
                if FIELD_LINE.match(line) or PARAGRAPH_MARKER.match(line):
                    return start
                continue
            self.classification_line = line
            self.level = match.group("level")
            rest = SECTION.sub(" ", match.group("rest"))
            self.add_caveats(rest)
            if post := CLASSIFICATION_POST.search(CAVEAT_WORD.sub(" ", rest)):
                self.post_and_serial = (post.group("post").strip(), post.group("serial"))
                # ``00167SIPDIS``: a caveat glued to the serial may have eaten a digit.
                self.serial_glued = bool(re.search(rf"{post.group('serial')}[A-Z]", rest))
            index += 1
            for following in range(index, min(len(lines), index + 30)):
                line = lines[following].strip()
                if FIELD_LINE.match(line) or PARAGRAPH_MARKER.match(line):
                    break
                self.add_caveats(marking_line(line))
            return index
        return start

    def add_caveats(self, line: str) -> None:
        for caveat in CAVEAT_WORD.findall(line):
            if caveat not in self.cable.caveats:
                self.cable.caveats.append(caveat)

    def read_fields(self, start: int) -> int:
        """Read E.O., TAGS, SUBJECT, REF and Classified By; return where the text starts."""
        cable, lines = self.cable, self.lines
        index = start
        text_start = start
        reference_lines: list[str] = []
        while index < len(lines) and index < start + 200:
            line = lines[index].strip()
            if PARAGRAPH_MARKER.match(line) and not FIELD_LINE.match(line):
                break
            match = FIELD_LINE.match(line)
            if not match:
                free_text = line and not DASH_LINE.match(line) and not PAGE_BREAK_LINE.match(line)
                if free_text and self.fields_seen(cable):
                    break  # the cable's text has begun
                index += 1
                continue
            name = match.group("name").upper().replace(" ", "")
            value_lines = [match.group("value")]
            index += 1
            if name.startswith("SUBJ") and not match.group("value").strip():
                # ``SUBJECT:`` alone on its line, the subject under it after a blank line.
                while index < len(lines) and not lines[index].strip():
                    index += 1
            while index < len(lines):
                following = lines[index].strip()
                if not following and name.startswith("SUBJ") and dangling(value_lines[-1]):
                    # ``SUBJECT: … VISIT TO`` / blank / ``LIBYA``: the subject goes on.
                    later = next(
                        (line.strip() for line in lines[index : index + 3] if line.strip()), ""
                    )
                    if later.isupper() and len(later) <= 80 and not FIELD_LINE.match(later):
                        index += 1
                        continue
                if not following and name.startswith("REF"):
                    # A REF list may go on after a blank line: ``¶B. BOGOTA 3422``.
                    later = next(
                        (line.strip() for line in lines[index : index + 4] if line.strip()), ""
                    )
                    if REFERENCE_LIST_ITEM.match(later):
                        index += 1
                        continue
                if (
                    not following
                    or FIELD_LINE.match(following)
                    or PARAGRAPH_MARKER.match(following)
                    or (name.startswith("SUBJ") and following.startswith("¶"))
                ):
                    break
                if not PAGE_BREAK_LINE.match(following):
                    value_lines.append(following)
                index += 1
            value = join_lines(value_lines).replace("\n", " ")
            if name in ("E.O.", "EO", "DECL"):
                if decl := re.search(
                    r"DECL(?:ASSIFY)?\s*(?:ON)?\s*:?\s*(.+)$", value, re.IGNORECASE
                ):
                    cable.declassify_on = decl.group(1).strip()
            elif name == "TAGS":
                cable.tags = cable.tags or self.split_tags(value)
            elif name.startswith("SUBJ"):
                cable.subject = cable.subject or value.strip().translate(STRAIGHT_QUOTES)
            elif name.startswith("REF"):
                reference_lines.append(join_lines(value_lines))
            elif name == "CLASSIFIEDBY":
                cable.classified_by = value.strip()
            text_start = index
        if not cable.subject and self.forwarded_subject:
            cable.subject = self.forwarded_subject
        cable.reference_lines = "\n".join(reference_lines)
        # The year of references without one comes with the cable's date (settle_date).
        return max(text_start, index if index >= len(lines) else text_start)

    @staticmethod
    def fields_seen(cable: ParsedCable) -> bool:
        return bool(cable.subject or cable.tags)

    @staticmethod
    def split_tags(value: str) -> list[str]:
        linked = TAG_LINK.findall(value)
        candidates = linked if linked else re.split(r"[,;\s]+", value)
        tags: list[str] = []
        for candidate in candidates:
            tag = re.sub(r"\s+", " ", candidate.strip(" .,;")).upper()
            for part in split_run_together_tag(tag):
                if part and part not in tags:
                    tags.append(part)
        return tags

    def read_body(self, start: int) -> None:
        """Split the text into numbered paragraphs, their headings, and unnumbered blocks."""
        lines = [DASHED_HEADING.sub(r"\1", line.strip()) for line in self.lines[start:]]
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
        if lines and SIGNER_LINE.match(lines[-1]) and len(lines[-1]) <= 40 and len(lines) > 1:
            self.cable.signer = lines.pop()
        blocks = self.blocks(lines)
        self.cable.paragraphs = self.paragraphs(blocks)
        self.cable.summary = self.find_summary()

    @staticmethod
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

    def paragraphs(self, blocks: list[list[str]]) -> list[ParsedParagraph]:
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
            if self.is_heading(block, following):
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
                self.continue_paragraph(current, block)
        if pending_heading:
            if current is not None:
                current.text = f"{current.text}\n\n{pending_heading}"
            else:
                unnumbered += 1
                paragraphs.append(ParsedParagraph("", f"t{unnumbered}", "", "", pending_heading))
        for paragraph in paragraphs:
            paragraph.text = repair_quotes(paragraph.text)
        return paragraphs

    @staticmethod
    def continue_paragraph(paragraph: ParsedParagraph, block: list[str]) -> None:
        """Append a block; a block that finishes a sentence split by a page break joins it."""
        text = join_lines(block)
        if paragraph.text and not SENTENCE_END.search(paragraph.text[-3:]) and text[:1].islower():
            paragraph.text = f"{paragraph.text} {text}"
        elif paragraph.text:
            paragraph.text = f"{paragraph.text}\n\n{text}"
        else:
            paragraph.text = text

    @staticmethod
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

    def find_summary(self) -> str:
        text = "\n\n".join(paragraph.text for paragraph in self.cable.paragraphs)
        if "END" not in text.upper():
            return ""
        match = re.search(
            r"\bSUMMARY\s*[:.-]\s*(.+?)\s*\bEND\s+SUMMARY\b", text, re.DOTALL | re.IGNORECASE
        )
        if not match or len(match.group(1)) > 20_000:
            return ""
        return match.group(1).strip(" .")

    def settle_date(self) -> None:
        cable = self.cable
        if cable.date is not None:
            return
        if self.de_julian and self.database_date or self.database_date:
            cable.date, cable.date_source = self.database_date, "database"
        elif self.de_julian and self.dtg_year:
            julian, hour, minute = self.de_julian
            cable.date = datetime.strptime(
                f"{self.dtg_year} {julian} {hour} {minute}", "%Y %j %H %M"
            ).replace(tzinfo=UTC)
            cable.date_source = "de"

    def settle_reference_id(self) -> None:
        cable = self.cable
        if self.post_and_serial:
            cable.post = self.post_and_serial[0].replace(" ", "").upper()
            cable.serial = str(int(self.post_and_serial[1]))
            # A serial cut short where a caveat was glued to it (``00167SIPDIS``).
            glued = getattr(self, "serial_glued", False)
            if glued and self.de_serial and str(int(self.de_serial)).startswith(cable.serial):
                cable.serial = str(int(self.de_serial))
        elif cable.sender and self.de_serial:
            # No classification line: the post from the FM line, the serial from the DE line.
            code = cable.sender.code
            post = code.split(" ", 1)[1] if code.startswith(OFFICE_CODES) else code
            post = post.removeprefix("USMISSION ")
            cable.post = "STATE" if code.startswith("SECSTATE") else post.replace(" ", "")
            cable.serial = str(int(self.de_serial))
        year = cable.date.year if cable.date else self.dtg_year
        cable.reference_id = make_reference_id(year, cable.post, cable.serial)

    def settle_sender(self) -> None:
        """A cable with no FM line (partial extracts, mostly): its classification line's post."""
        if self.cable.sender is None and self.post_and_serial:
            head = "\n".join(self.lines[:200])
            code = address_from_post(self.post_and_serial[0], head)
            self.cable.sender = ParsedSender(code=code, name=sender_name(code))

    def settle_classification(self) -> None:
        """The level of the classification line (else of the ``ZNY`` line), with NOFORN
        from the caveats under it, and SENSITIVE making an
        unclassified cable ``UNCLASSIFIED//FOR OFFICIAL USE ONLY``."""
        cable = self.cable
        level = getattr(self, "level", "") or getattr(self, "transmission_level", "")
        line = getattr(self, "classification_line", "")
        if level.startswith("UNCLAS") or level == "LIMITED OFFICIAL USE":
            sensitive = (
                "SENSITIVE" in cable.caveats
                or "FOR OFFICIAL USE ONLY" in line
                or level == "LIMITED OFFICIAL USE"
            )
            cable.classification = CLASSIFICATIONS[1] if sensitive else CLASSIFICATIONS[0]
        elif level in ("CONFIDENTIAL", "SECRET"):
            # The subject's own marking counts too: ``SUBJECT: (C/NF) WHO WOULD …``.
            noforn = (
                "NOFORN" in cable.caveats
                or "NOFORN" in line.replace(" ", "")
                or bool(re.match(r"^\([A-Z]+/\s*NF\)", cable.subject))
            )
            cable.classification = f"{level}//NOFORN" if noforn else level


NOT_POSTS = {
    *MONTHS,
    *(
        name.upper()
        for name in (
            "January",
            "February",
            "March",
            "April",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        )
    ),
    "OF",
    "PARA",
    "PARAS",
    "PARAGRAPH",
    "UNSCR",
    "RESOLUTION",
    "SECTION",
    "PAGE",
    "REF",
    "REFS",
    "AND",
    "NO",
    "NUMBER",
    "TO",
    "IN",
    "ON",
    "AT",
    "THE",
    "FOR",
    "DATED",
    "CIRCULAR",
    "E-MAIL",
}


def split_references(text: str, year: int | None) -> list[str]:
    """``A. 08 MEXICO 1234; B. STATE 106206`` -> ``08MEXICO1234``, ``66STATE106206``
    (a reference without a year takes the citing cable's)."""
    text = re.sub(r"¶|\b[A-Z][.)](?=\s)|\bREFS?\b|\bREFTEL\b", " ", text.upper())
    references: list[str] = []
    for match in REFERENCE_ITEM.finditer(text):
        words = [word for word in match.group("post").split() if len(word) > 1]
        if not words or any(word in NOT_POSTS for word in words):
            continue
        reference_year = match.group("year") or (f"{year % 100:02d}" if year else "")
        if not reference_year:
            continue
        reference = f"{reference_year}{''.join(words)}{int(match.group('serial'))}"
        if reference not in references:
            references.append(reference)
    return references


def make_reference_id(year: int | None, post: str, serial: str) -> str:
    """``2008, MEXICO, 2160`` -> ``08MEXICO2160``; empty when a part is missing."""
    if not (year and post and serial):
        return ""
    return f"{year % 100:02d}{post}{serial}"


def release_date(value: str) -> datetime | None:
    """The release's timestamps: ``2008-07-15 12:12`` (pages) or ``12/28/1966 18:48`` (CSV)."""
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M"):
        try:
            return datetime.strptime(value.strip(), pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def complete_from_release(cable: ParsedCable, created: datetime | None) -> None:
    """Fill what a text without a date (partial extracts, mostly) cannot give by itself:
    the date from the release's metadata, and with it the year of the reference id."""
    if cable.date is None and created is not None:
        cable.date, cable.date_source = created, "metadata"
    if not cable.reference_id and cable.date:
        cable.reference_id = make_reference_id(cable.date.year, cable.post, cable.serial)
    if not cable.references and cable.reference_lines and cable.date:
        cable.references = split_references(cable.reference_lines, cable.date.year)


def parse_cable(text: str) -> ParsedCable:
    """Parse one cable's text. Raises :class:`ParseError` for text that holds no cable."""
    return _CableReader(text).parse()


CLASSIFIED_BY_REASONS = re.compile(
    r"^(?:\(U\)\s*)?(?:CLASSIFIED BY:?\s*)?(?P<who>.*?)[\s,;.]*"
    r"(?:\bFOR\s+)?\bREASONS?\s*:?\s*(?P<reasons>1\.[45].*?)[\s.]*$",
    re.IGNORECASE,
)


def split_classified_by(line: str) -> tuple[str, str]:
    """``Ambassador Anne W. Patterson for reasons 1.4 (b, d).`` ->
    (``Ambassador Anne W. Patterson``, ``1.4 (b, d)``): who classified, under which
    reasons of E.O. 12958. The reasons are empty when the line gives none."""
    match = CLASSIFIED_BY_REASONS.match(line.strip())
    if not match:
        return line.strip().rstrip(". "), ""
    return match.group("who").strip(" ,;."), match.group("reasons").strip()
