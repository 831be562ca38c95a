"""Read a cable's classification line (level, caveats, post and serial), and settle its
reference id, sender and classification from it and the routing header."""

import re

from .cable import CLASSIFICATIONS, ParsedSender
from .lines import FIELD_LINE, PARAGRAPH_MARKER
from .references import id_spelling, make_reference_id
from .routing import CABLE_DATED, LONG_DATE_LINE
from .senders import OFFICE_PREFIXES, address_from_post, sender_name

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

OFFICE_CODES = tuple(f"{prefix} " for prefix in OFFICE_PREFIXES)

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

# ``SECTION 01 OF 03``, also damaged (``SCTION 02 OF 02``, ``SECTION01 OF 02``), spaced
# (``S E C T I O N 1 OF 2``) or bare (``01 OF 03``); a damaged word has only SECTION's letters.
SECTION = re.compile(
    r"(?<![A-Z0-9])(?:(?:S ?E ?C ?T ?I ?O ?N|[SECTION]{4,9})\s*)?\d{1,3}\s+OF\s+\d{1,3}(?!\d)"
)

# Handling letters spaced out like the levels: ``E F T O``, ``S I P D I S``, ``N O F O R N``.
SPACED_LETTERS = re.compile(r"\b[A-Z](?: [A-Z]\b)+")
CAVEAT_NAME = re.compile("|".join(CAVEATS))
CAVEATS_RUN = re.compile(f"(?:{CAVEAT_NAME.pattern})+")

# A post blacked out by the release (``SECRET XXXXXXXXXXXX 000004``).
REDACTED = re.compile(r"^X{3,}(?: X+)*$")

# The post and serial after the level: ``MEXICO 002160``, ``STATE 068250``, ``THE HAGUE 000004``:
# a run of a post's characters, then a serial. Possessive, so each run is read once.
POST_RUN = re.compile(r"[A-Z][A-Z .'-]*+")
SERIAL = re.compile(r"\s*0*(\d{1,7})(?!\d)")

# What ends a marking line: its last letter, digit or closing bracket.
LAST_MARK = re.compile(r"[A-Z0-9)][^A-Z0-9)]*$")

# Caveats may be glued to what precedes them (``001557SENSITIVE SIPDISDOE``) in some renderings.
CAVEAT_WORD = re.compile(r"(?<![A-Z])(" + "|".join(CAVEATS) + r")(?![a-z])")


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
    line = SPACED_LETTERS.sub(joined_caveats, line)
    last = LAST_MARK.search(line)
    return line[: last.start() + 1] if last else ""


def find_post_and_serial(text: str) -> tuple[str, str] | None:
    """The first post followed by a serial (``SAO PAULO 000335`` -> ``SAO PAULO``, ``335``)."""
    for run in POST_RUN.finditer(text):
        serial = SERIAL.match(text, run.end())
        spaced = run.group().endswith(" ") or text[run.end() : run.end() + 1].isspace()
        if serial and spaced:
            return run.group().strip(), serial.group(1)
    return None


def joined_caveats(match: re.Match) -> str:
    """``E F T O`` -> ``EFTO``, ``N O F O R N S I P D I S`` -> ``NOFORN SIPDIS``; other
    spaced letters stay as they are."""
    letters = match.group().replace(" ", "")
    if not CAVEATS_RUN.fullmatch(letters):
        return match.group()
    return " ".join(CAVEAT_NAME.findall(letters))


def post_and_serial_in(rest: str) -> tuple[str, str] | None:
    """``TRIPOLI 000648`` from what follows the level, once the section is taken out; a
    post blacked out by the release is ``""`` (the FM line names it)."""
    words = CAVEAT_WORD.sub(" ", rest.replace("FOR OFFICIAL USE ONLY", " "))
    if found := find_post_and_serial(words):
        name, serial = found
        return ("" if REDACTED.match(name) else name, serial)
    return None


class ClassificationLine:
    """The classification line's part of the cable reader (cables/parsing/reader.py)."""

    @staticmethod
    def post_and_serial_of(line: str) -> tuple[str, str] | None:
        """The post and serial a classification line names, or None."""
        match = CLASSIFICATION_LINE.match(marking_line(line))
        return post_and_serial_in(SECTION.sub(" ", match.group("rest"))) if match else None

    @staticmethod
    def is_classification_line(line: str) -> bool:
        match = CLASSIFICATION_LINE.match(marking_line(line))
        return bool(match and find_post_and_serial(SECTION.sub(" ", match.group("rest"))))

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
            self.read_post_and_serial(rest)
            index += 1
            for following in range(index, min(len(lines), index + 30)):
                line = lines[following].strip()
                if FIELD_LINE.match(line) or PARAGRAPH_MARKER.match(line):
                    break
                self.add_caveats(marking_line(line))
            return index
        return start

    def read_post_and_serial(self, rest: str) -> None:
        if found := post_and_serial_in(rest):
            self.post_and_serial = found
            # ``00167SIPDIS``: a caveat glued to the serial may have eaten a digit.
            self.serial_glued = bool(re.search(rf"{found[1]}[A-Z]", rest))

    def add_caveats(self, line: str) -> None:
        for caveat in CAVEAT_WORD.findall(line):
            if caveat not in self.cable.caveats:
                self.cable.caveats.append(caveat)

    def settle_reference_id(self) -> None:
        cable = self.cable
        if self.post_and_serial:
            post, serial = self.post_and_serial
            cable.post = id_spelling(post) or self.post_from_sender()
            cable.serial = str(int(serial))
            # A serial cut short where a caveat was glued to it (``00167SIPDIS``).
            glued = getattr(self, "serial_glued", False)
            if glued and self.de_serial and str(int(self.de_serial)).startswith(cable.serial):
                cable.serial = str(int(self.de_serial))
        elif cable.sender and self.de_serial:
            # No classification line: the post from the FM line, the serial from the DE line.
            cable.post = self.post_from_sender()
            cable.serial = str(int(self.de_serial))
        year = cable.date.year if cable.date else self.dtg_year
        cable.reference_id = make_reference_id(year, cable.post, cable.serial)

    def post_from_sender(self) -> str:
        """The post as reference ids spell it, from the FM line's address:
        ``AMCONSUL SAO PAULO`` -> ``SAOPAULO``, ``SECSTATE WASHDC`` -> ``STATE``."""
        if self.cable.sender is None:
            return ""
        code = self.cable.sender.code
        if code.startswith("SECSTATE"):
            return "STATE"
        post = code.split(" ", 1)[1] if code.startswith(OFFICE_CODES) else code
        post = post.removeprefix("USMISSION ")
        return "" if REDACTED.match(post) else id_spelling(post)

    def settle_sender(self) -> None:
        """A cable with no FM line (partial extracts, mostly): its classification line's post."""
        if self.cable.sender is None and self.post_and_serial and self.post_and_serial[0]:
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
                or bool(re.match(r"^[A-Z]+/\s*NF$", cable.subject_marking))
            )
            cable.classification = f"{level}//NOFORN" if noforn else level
