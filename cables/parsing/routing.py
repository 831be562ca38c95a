"""Read a cable's routing header: transmission id, precedence and date-time group, the
DE line, the FM, TO and INFO lines; and the lines a release leaked in front of it."""

import re
from datetime import UTC, datetime

from .cable import ParsedSender
from .lines import END_LINES, FIELD_LINE, HEADER_LINES, MONTHS, PARAGRAPH_MARKER, expand_year
from .senders import normalize_address, sender_name

PRECEDENCES = {"Z": "FLASH", "O": "IMMEDIATE", "P": "PRIORITY", "R": "ROUTINE"}

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

# ``Subject: TRIPOLI 00000642 R CO 12-AUG-08 HANNIBAL GOES TO SEA … [7909670]``
FORWARDED_SUBJECT = re.compile(
    r"^Subject:\s*(?:[A-Z ]+\s\d+\s+[A-Z]\s+[A-Z]{1,2}\s+\d{1,2}-[A-Z]{3}-\d{2}\s+)?"
    r"(.+?)\s*(?:\[\d+\])?$"
)

# ``ZNY CCCCC ZZH``: the transmission's own classification, a letter repeated five times.
TRANSMISSION_LEVEL = re.compile(r"^ZN[YR]\s+([UCSE])\1{4}\b")

TRANSMISSION_LEVELS = {"U": "UNCLASSIFIED", "E": "UNCLASSIFIED", "C": "CONFIDENTIAL", "S": "SECRET"}

CABLE_DATED = re.compile(r"^Cable dated:\s*(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)")


class RoutingHeader:
    """The routing header's part of the cable reader (cables/parsing/reader.py)."""

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
            if FIELD_LINE.match(line):
                return index
            # A bare level (``CONFIDENTIAL PTQ1859``) heads old telegrams before their FM line.
            if self.is_classification_line(line):
                if not self.heads_routing_header(index):
                    return index
                continue
            if PARAGRAPH_MARKER.match(line):
                return index
            # A long collective list of addressees is read to its end.
            if index > HEADER_LINES and not (recipients is not None and ROUTING_PREFIX.match(line)):
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

    def heads_routing_header(self, index: int) -> bool:
        """A classification line set above the whole telegram (``S E C R E T STATE
        00119085`` over its ``VZCZC`` line) and repeated under it: read the one below."""
        following = [line.strip() for line in self.lines[index + 1 : index + 8] if line.strip()]
        if not any(
            TRANSMISSION_LINE.match(line) or DE_LINE.match(line) or line.startswith("FM ")
            for line in following[:3]
        ):
            return False
        below = self.lines[index + 1 : HEADER_LINES]
        return any(self.is_classification_line(line) for line in below)

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
