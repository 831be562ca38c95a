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
from datetime import UTC, datetime

from .body import read_body
from .cable import CLASSIFICATIONS, ParsedCable, ParsedSender
from .errors import ParseError
from .lines import (
    DASH_LINE,
    END_LINES,
    FIELD_LINE,
    MONTHS,
    PAGE_BREAK_LINE,
    PARAGRAPH_MARKER,
    STRAIGHT_QUOTES,
    dangling,
    expand_year,
    join_lines,
)
from .references import make_reference_id, split_references
from .senders import OFFICE_PREFIXES, address_from_post, normalize_address, sender_name
from .tags import split_tags

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

OFFICE_CODES = tuple(f"{prefix} " for prefix in OFFICE_PREFIXES)

PARTIAL_NOTICE = "This record is a partial extract of the original cable"

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
# ``Subject: TRIPOLI 00000642 R CO 12-AUG-08 HANNIBAL GOES TO SEA … [7909670]``
FORWARDED_SUBJECT = re.compile(
    r"^Subject:\s*(?:[A-Z ]+\s\d+\s+[A-Z]\s+[A-Z]{1,2}\s+\d{1,2}-[A-Z]{3}-\d{2}\s+)?"
    r"(.+?)\s*(?:\[\d+\])?$"
)
REFERENCE_LIST_ITEM = re.compile(r"^¶?[A-Z][.)]\s+\S")
# Some renderings run the classification, E.O., TAGS and SUBJECT lines into one.
RUN_TOGETHER_FIELDS = re.compile(
    r"\s*(?=E\.\s?O\.\s?\d|TAGS:|SUBJECT:|SUBJ:|REF:|Classified By:)|(?<=T\d\d:\d\d:\d\d)"
)
HEADER_LINES = 600
# ``ZNY CCCCC ZZH``: the transmission's own classification, a letter repeated five times.
TRANSMISSION_LEVEL = re.compile(r"^ZN[YR]\s+([UCSE])\1{4}\b")
TRANSMISSION_LEVELS = {"U": "UNCLASSIFIED", "E": "UNCLASSIFIED", "C": "CONFIDENTIAL", "S": "SECRET"}
CABLE_DATED = re.compile(r"^Cable dated:\s*(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)")


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
        body = read_body(self.lines[body_start:])
        cable.paragraphs, cable.signer, cable.summary = body.paragraphs, body.signer, body.summary
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
                cable.tags = cable.tags or split_tags(value)
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


def parse_cable(text: str) -> ParsedCable:
    """Parse one cable's text. Raises :class:`ParseError` for text that holds no cable."""
    return _CableReader(text).parse()
