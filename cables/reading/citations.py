"""Citations of a cable or one of its paragraphs, in the styles researchers use.

Pure Python: a :class:`CitationSource` in, text out. Prose styles (Chicago, MLA,
APA) title-case the subject, keeping acronyms such as DHS, GOM and USG upper case;
BibTeX, RIS and CSL-JSON keep the subject as the cable has it, since reference
managers expect the source's own title.
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime

ARCHIVE_NAME = "Cable Archive"

MINOR_WORDS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of",
    "on", "or", "over", "per", "the", "to", "up", "via", "vs", "with",
}  # fmt: skip
# Short words that are words, not acronyms, when a subject is written in capitals.
SHORT_WORDS = MINOR_WORDS | {
    "act", "ad", "age", "ago", "aid", "air", "all", "any", "arm", "art", "ask", "bad", "ban",
    "big", "bid", "bill", "buy", "can", "car", "cut", "day", "did", "due", "end", "far", "few",
    "fly", "fun", "gap", "gas", "get", "go", "got", "has", "he", "her", "him", "his", "hit",
    "hot", "how", "if", "is", "it", "its", "job", "key", "law", "lay", "led", "let", "low",
    "man", "may", "me", "men", "met", "mix", "my", "net", "new", "no", "not", "now", "off",
    "oil", "old", "one", "our", "out", "own", "pay", "put", "raw", "red", "run", "sea", "see",
    "set", "she", "sit", "six", "so", "tax", "ten", "too", "top", "try", "two", "use", "visa",
    "war", "was", "way", "we", "who", "why", "win", "yet", "you",
}  # fmt: skip
# Longer acronyms that would otherwise be title-cased.
ACRONYMS = {
    "ASEAN", "AFRICOM", "CENTCOM", "DPRK", "EUCOM", "FARC", "GATT", "IAEA", "ICTY", "INCSR",
    "MERCOSUR", "NAFTA", "NATO", "NGOS", "NSC", "OPEC", "OSCE", "PKK", "SADC", "UNDP", "UNHCR",
    "UNICEF", "UNSC", "UNSCR", "USAID", "USNATO", "USTR", "WMD",
}  # fmt: skip


@dataclass
class CitationSource:
    reference_id: str
    sender: str  # the release's name: "Embassy Mexico"
    date: datetime | None
    subject: str
    classification: str
    url: str  # absolute permalink
    paragraph: str = ""  # the cable's own number ("3"), for a paragraph citation


def title_case(subject: str) -> str:
    """``SCENESETTER FOR DHS SECRETARY MICHAEL CHERTOFF, JULY 17-19`` ->
    ``Scenesetter for DHS Secretary Michael Chertoff, July 17-19``."""
    if not subject:
        return "(no subject)"
    if any(character.islower() for character in subject):
        return subject  # already written in mixed case
    words = subject.split(" ")
    out = []
    for position, word in enumerate(words):
        out.append(title_case_word(word, first=position == 0 or words[position - 1].endswith(":")))
    return " ".join(out)


def title_case_word(word: str, first: bool) -> str:
    letters = re.sub(r"[^A-Za-z]", "", word)
    if not letters:
        return word
    if is_acronym(letters):
        return word
    if letters.lower() in MINOR_WORDS and not first:
        return word.lower()
    # Capitalise each part of hyphenated and slashed words: ANTI-CORRUPTION, U.S.-MEXICO.
    return re.sub(r"[A-Za-z]+(?:'[A-Za-z]+)?", lambda match: match.group(0).capitalize(), word)


def is_acronym(letters: str) -> bool:
    upper = letters.upper()
    if upper in ACRONYMS:
        return True
    if len(letters) <= 3 and letters.lower() not in SHORT_WORDS:
        return True
    return not re.search(r"[AEIOUY]", upper)  # no vowels: USG, DHS, NSC


def author(sender: str) -> str:
    """The issuing office as an author: ``Embassy Mexico`` -> ``US Embassy Mexico``."""
    if sender.startswith(("Embassy", "Consulate", "Secretary of State")):
        return f"US {sender}"
    return sender or "US Department of State"


def long_date(date: datetime | None) -> str:
    return f"{date:%B} {date.day}, {date.year}" if date else "n.d."


def day_month_year(date: datetime | None) -> str:
    return f"{date.day} {date:%B %Y}" if date else "n.d."


def chicago_note(source: CitationSource) -> str:
    paragraph = f", ¶{source.paragraph}" if source.paragraph else ""
    return (
        f"{author(source.sender)}, “{title_case(source.subject)},” cable {source.reference_id}, "
        f"{long_date(source.date)}{paragraph}, {source.url}."
    )


def chicago_bibliography(source: CitationSource) -> str:
    paragraph = f", ¶{source.paragraph}" if source.paragraph else ""
    classification = f" {source.classification.title()}." if source.classification else ""
    return (
        f"{author(source.sender)}. “{title_case(source.subject)}.” Cable {source.reference_id}"
        f"{paragraph}, {long_date(source.date)}.{classification} {ARCHIVE_NAME}. {source.url}."
    )


def mla(source: CitationSource) -> str:
    paragraph = f", par. {source.paragraph}" if source.paragraph else ""
    office = source.sender or "Department of State"
    return (
        f"United States, {office}. “{title_case(source.subject)}.” Cable {source.reference_id}, "
        f"{day_month_year(source.date)}{paragraph}. {ARCHIVE_NAME}, {strip_scheme(source.url)}."
    )


def apa(source: CitationSource) -> str:
    date = f"{source.date.year}, {source.date:%B} {source.date.day}" if source.date else "n.d."
    paragraph = f", ¶{source.paragraph}" if source.paragraph else ""
    return (
        f"{author(source.sender)}. ({date}). {title_case(source.subject)} "
        f"(Cable {source.reference_id}{paragraph}). {ARCHIVE_NAME}. {source.url}"
    )


def strip_scheme(url: str) -> str:
    return re.sub(r"^https?://", "", url)


BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "_": r"\_", "#": r"\#",
                  "{": r"\{", "}": r"\}", "$": r"\$", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}"}  # fmt: skip


def bibtex_escape(text: str) -> str:
    return "".join(BIBTEX_SPECIAL.get(character, character) for character in text)


def citation_key(source: CitationSource) -> str:
    """A key valid for BibTeX and biblatex: letters and digits, starting with a letter."""
    key = re.sub(r"[^A-Za-z0-9]", "", f"cable{source.reference_id}")
    return f"{key}p{re.sub(r'[^0-9A-Za-z]', '', source.paragraph)}" if source.paragraph else key


def bibtex(source: CitationSource) -> str:
    fields = [
        ("author", "{" + bibtex_escape(author(source.sender)) + "}"),
        ("title", bibtex_escape(source.subject or "(no subject)")),
        ("type", "Cable"),
        ("number", bibtex_escape(source.reference_id)),
        ("date", f"{source.date:%Y-%m-%d}" if source.date else ""),
        ("note", bibtex_escape(note(source))),
        ("organization", bibtex_escape(ARCHIVE_NAME)),
        ("url", bibtex_escape(source.url)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{citation_key(source)},\n{body}\n}}\n"


def note(source: CitationSource) -> str:
    parts = [source.classification] if source.classification else []
    if source.paragraph:
        parts.append(f"¶{source.paragraph}")
    return ", ".join(parts)


def ris(source: CitationSource) -> str:
    tags = [
        ("TY", "GOVDOC"),
        ("AU", author(source.sender)),
        ("TI", source.subject or "(no subject)"),
        ("PY", f"{source.date.year}" if source.date else ""),
        ("DA", f"{source.date:%Y/%m/%d}" if source.date else ""),
        ("M3", "Cable"),
        ("AN", source.reference_id),
        ("N1", note(source)),
        ("PB", ARCHIVE_NAME),
        ("UR", source.url),
        ("ER", ""),
    ]
    # RIS lines: two-letter tag, two spaces, hyphen, space; CRLF line ends.
    return "".join(f"{tag}  - {value}\r\n" for tag, value in tags if value or tag == "ER")


def csl_json(source: CitationSource) -> str:
    item = {
        "id": citation_key(source),
        "type": "document",
        "genre": "Cable",
        "title": source.subject or "(no subject)",
        "author": [{"literal": author(source.sender)}],
        "number": source.reference_id,
        "publisher": ARCHIVE_NAME,
        "URL": source.url,
        "note": note(source),
    }
    if source.date:
        item["issued"] = {"date-parts": [[source.date.year, source.date.month, source.date.day]]}
    if source.paragraph:
        item["section"] = f"¶{source.paragraph}"
    return json.dumps([item], ensure_ascii=False, indent=2)


PROSE_STYLES = {
    "chicago-note": ("Chicago (note)", chicago_note),
    "chicago-bibliography": ("Chicago (bibliography)", chicago_bibliography),
    "mla": ("MLA", mla),
    "apa": ("APA", apa),
}
DOWNLOADS = {
    "bibtex": ("BibTeX", bibtex, "application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("RIS", ris, "application/x-research-info-systems; charset=utf-8", "ris"),
    "csl-json": (
        "CSL-JSON",
        csl_json,
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        "json",
    ),
}
