"""What a cable's values must look like, and what the release's pages and a cable's own
text show of them: the ground truth of ``parser_report`` and the warnings of
``check_archive``. Pure Python, no Django.

Tag-shaped is ``cables.parsing.tags.looks_like_tag``; an id-shaped reference is
``cables.writing.cable_data.REFERENCE_ID``'s shape, read here in its three parts.
"""

import re
from collections import Counter

from ..parsing.fields import SUBJECT_MARKING
from ..parsing.lines import FIELD_LINE, PAGE_BREAK_LINE, expand_year
from ..parsing.references import ALIASES, KNOWN_POSTS
from ..parsing.tags import looks_like_tag

# ``(C)``, ``(SBU)``, ``(C/NF)``, ``(U//FOUO)``, ``(S-NF)``, ``(s)``: a marking, as the
# parser keeps it apart from the subject.
MARKING = SUBJECT_MARKING
# The strings of cables.writing.cable_data.REFERENCE_ID, in their three parts.
REFERENCE_PARTS = re.compile(r"^(?P<year>[0-9]{2})(?P<post>[A-Z][A-Z0-9-]*?)(?P<serial>[0-9]+)$")
# How REF lines write some posts, and how their ids write them.
SHORT_POSTS = ALIASES

PAGE_ANCHOR = re.compile(r"<a id=['\"]par(\d+)['\"]")
TAG_LINK_TEXT = re.compile(r"<a href=['\"]/tag/[^'\"]*['\"][^>]*>(.*?)</a>", re.DOTALL)
SUBJECT_LABEL = re.compile(r"\b(?:SUBJ(?:ECT)?|UBJECT)\s*:\s*", re.IGNORECASE)
# ``REF:``, ``REFTEL:``, ``REF A) …`` at a line's start; ``REF:`` anywhere in the header,
# as in ``… MENTALITY" REF: A) …`` or ``… PRIMEREF: A. …``, run into a subject.
REF_LABEL = re.compile(
    r"^\s*(?:REFS?|REFTELS?)(?:\s*[:.]|\s+(?=\(?[A-Z]\)))\s*|(?:REFS?|REFTELS?):\s*",
    re.IGNORECASE,
)
# A field run into a line that is not one (a leaked database line, the body's first line).
FIELD_INSIDE = re.compile(r"\bTAGS\s*:|\bE\.\s?O\.\s?\d", re.IGNORECASE)
REF_ITEM = re.compile(r"^\s*¶?\s*(?:\([A-Z]\)|[A-Z][.)])\s*\S", re.IGNORECASE)
CLASSIFIED_BY = re.compile(r"\bCLASSIFIED\s+BY\b", re.IGNORECASE)
FIRST_PARAGRAPH = re.compile(r"^\s*¶?\s*1\s*\.")
YEAR = r"(?:19|20)?\d\d"
# ``A. 08 MEXICO 1234``, ``2007 MANAGUA 2135``, ``SAO PAULO 228 (08)``: a cited cable.
CITATION = re.compile(
    rf"(?<![A-Z0-9])(?:\(?(?P<year>{YEAR})\)?\s*)?(?P<post>[A-Z]{{2,}}(?:\s+[A-Z]{{2,}}){{0,3}})"
    rf"\s+0*(?P<serial>\d{{1,7}})(?!\d|\.\.)(?:\s*\((?P<after>{YEAR})\))?"
)


# --- what a stored value must be ---------------------------------------------------------


def is_post(post: str) -> bool:
    """A post that sends cables, as reference ids write it (``MEXICO``, ``SAOPAULO``,
    ``STATE``, ``USUNNEWYORK``); not ``SECSTATE`` or ``USUN``, which ids write otherwise."""
    return post in KNOWN_POSTS


def reference_id_problem(reference: str, citing_year: int | None = None) -> str:
    """Why a reference cannot be a cable's id ('' if it can): not id-shaped, a post that
    is no post, or a year after the citing cable's."""
    parts = REFERENCE_PARTS.match(reference)
    if not parts:
        return "not a cable id"
    if parts["post"] in SHORT_POSTS:
        return f"{parts['post']} is written {SHORT_POSTS[parts['post']]} in ids"
    if not is_post(parts["post"]):
        return f"{parts['post']} is no post"
    if citing_year and expand_year(parts["year"]) > citing_year:
        return f"a year after the citing cable's ({citing_year})"
    return ""


def subject_problem(subject: str) -> str:
    return "starts with a marking" if MARKING.match(subject) else ""


def tag_problem(tag: str) -> str:
    return "" if looks_like_tag(tag) else "not tag-shaped"


# --- what a page shows -------------------------------------------------------------------


def page_tags(page: str) -> tuple[list[str], set[str]] | None:
    """The tags the page links on the TAGS line of its body (not the site's navigation),
    and the words of the lines that continue that line (the site linked only its first);
    None when it links none, as its linker did not run on every page."""
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.DOTALL)
    for block in blocks[1:] or blocks:
        lines = block.replace("&#x000A;", "\n").split("\n")
        linked = [number for number, line in enumerate(lines) if TAG_LINK_TEXT.search(line)]
        if linked:
            # A leaked copy of the header carries its own TAGS line first: the body's is last.
            tags_line = linked[-1]
            links = TAG_LINK_TEXT.findall(lines[tags_line])
            return [normalize_tag(re.sub(r"<[^>]+>", "", link)) for link in links], set(
                continued_words(lines[tags_line + 1 :])
            )
    return None


def continued_words(lines: list[str]) -> list[str]:
    words = []
    for line in lines:
        line = re.sub(r"<[^>]+>", "", line).strip()
        if not line or FIELD_LINE.match(line):
            break
        words += [normalize_tag(word) for word in re.split(r"[,;\s]+", line) if word]
    return words


def normalize_tag(tag: str) -> str:
    return re.sub(r"\s+", " ", tag.replace("&amp;", "&")).strip(" ,.;").upper()


def spurious_anchors(page: Counter, ours: Counter, text: str) -> Counter:
    """The page's ¶ anchors shown wrong by the text: years and serials that begin a
    wrapped line (``2003.``), and a number the text refers to alone on a line
    (``… please see`` / ``¶3.``), counted once per such line."""
    spurious: Counter = Counter()
    for number, marked in (page - ours).items():
        value = int(number)
        if value > 200 or 1900 <= value <= 2099:
            spurious[number] = marked
        else:
            lone = len(re.findall(rf"^¶{number}\.[ \t]*$", text, re.MULTILINE))
            spurious[number] = min(lone, marked)
    return spurious


def reads_as_numbering(numbers: list[int]) -> bool:
    """Rising, or starting again at 1 (a cable quoting another)."""
    pairs = zip(numbers, numbers[1:], strict=False)
    return all(later > earlier or later == 1 for earlier, later in pairs)


def starts_a_line(number: str, text: str) -> bool:
    return bool(re.search(rf"^[ \t]*{number}[ \t]*\.", text, re.MULTILINE))


# --- what the text shows ---------------------------------------------------------------


def reference_text(text: str) -> str:
    """The REF lines of the text's header (before its first paragraph), upper-cased:
    each from its label to a blank line or another field, items after a blank line
    (``¶B. BOGOTA 3422``) included, page-break lines left out."""
    found: list[str] = []
    inside = after_gap = False
    for line in text.splitlines():
        if FIRST_PARAGRAPH.match(line):
            break
        if label := REF_LABEL.search(line):
            inside, after_gap = True, False
            found.append(line[label.end() :])
        elif not inside or PAGE_BREAK_LINE.match(line.strip()):
            continue
        elif not line.strip():
            after_gap = True
        elif FIELD_LINE.match(line.strip()) or FIELD_INSIDE.search(line):
            inside = False
        elif not after_gap or REF_ITEM.match(line):
            found.append(line)
            after_gap = False
    return "\n".join(CLASSIFIED_BY.split(part)[0] for part in found).upper()


def cited_references(ref_text: str, citing_year: int | None) -> list[str]:
    """The ids the REF text cites by a post and serial; a citation without a year is of
    the citing cable's year."""
    cited: list[str] = []
    for citation in CITATION.finditer(ref_text):
        words = citation["post"].split()
        posts = ["".join(words[start:]) for start in range(len(words))]
        posts = [SHORT_POSTS.get(post, post) for post in posts]
        start = next((start for start, post in enumerate(posts) if is_post(post)), None)
        if start is None:
            continue
        year = (citation["year"] if start == 0 else None) or citation["after"]
        year = year[-2:] if year else (f"{citing_year % 100:02d}" if citing_year else "")
        reference = f"{year}{posts[start]}{int(citation['serial'])}"
        if year and reference not in cited:
            cited.append(reference)
    return cited


def reference_text_problem(reference: str, ref_text: str, citing_year: int | None) -> str:
    """Why the REF text does not confirm a reference ('' if it does): its post and serial
    must be cited there (``STATE 41252 AND 44603`` cites both), with its year, or without
    one in the citing cable's year."""
    if problem := reference_id_problem(reference, citing_year):
        return problem
    parts = REFERENCE_PARTS.match(reference)
    shorts = [short for short, post in SHORT_POSTS.items() if post == parts["post"]]
    post = "|".join([spaced(short) for short in shorts] + [abbreviated(parts["post"])])
    serials = r"((?:\s*(?:[,&]|AND)?\s*0*\d{1,7}(?!\d))+)"
    citation = re.compile(
        rf"(?<![A-Z0-9])(?:\(?({YEAR})\)?\s*)?(?:{post})(?![A-Z])(?:\s+CITY)?{serials}"
        rf"(?:\s*\(({YEAR})\))?"
    )
    serial = int(parts["serial"])
    years = [
        (match[1] or match[3] or "")[-2:]
        for match in citation.finditer(ref_text)
        if serial in [int(number) for number in re.findall(r"\d+", match[2])]
    ]
    if not years:
        years = damaged_citations(parts["post"], serial, ref_text)
    if not years:
        return "not cited in the REF text"
    own = f"{citing_year % 100:02d}" if citing_year else parts["year"]
    cited_years = [year or own for year in years]
    if parts["year"] in cited_years:
        return ""
    return f"the REF text cites it of {', '.join(cited_years)}"


def damaged_citations(post: str, serial: int, ref_text: str) -> list[str]:
    """The years (or ``""``) of the citations of ``serial`` whose post is a damaged
    spelling of ``post``: a 0 or 1 for O or I, or one letter missing or extra
    (``SAN JSE``, ``BRASILA``, ``TRIPOLII``) in a post of six letters or more."""
    years = []
    for citation in CITATION.finditer(ref_text):
        if int(citation["serial"]) != serial:
            continue
        words = citation["post"].split()
        spellings = ["".join(words[start:]) for start in range(len(words))]
        if any(one_letter_off(spelling, post) for spelling in spellings):
            years.append((citation["year"] or citation["after"] or "")[-2:])
    return years


def one_letter_off(spelling: str, post: str) -> bool:
    spelling = spelling.replace("0", "O").replace("1", "I")
    if spelling == post:
        return True
    if len(post) < 6 or abs(len(spelling) - len(post)) != 1:
        return False
    shorter, longer = sorted((spelling, post), key=len)
    return any(longer[:index] + longer[index + 1 :] == shorter for index in range(len(longer)))


def spaced(word: str) -> str:
    """A pattern for the word, spaces allowed between its letters (``SAN JOSE``)."""
    return r"\s*".join(re.escape(letter) for letter in word)


def abbreviated(post: str) -> str:
    """A pattern for the post or a leading abbreviation of it of three letters or more
    (``RIO`` for RIODEJANEIRO, ``VAT`` for VATICAN), spaces allowed between letters."""
    pattern = ""
    for letter in reversed(post[3:]):
        pattern = rf"(?:\s*{re.escape(letter)}{pattern})?"
    return spaced(post[:3]) + pattern


def subject_in_text(subject: str, text: str) -> bool:
    """The subject follows a SUBJECT label of the text, once a marking is set aside
    (letters and digits compared, so wrapping and quote marks do not matter; a forwarded
    cable's ``Subject: TRIPOLI 00000642 R CO 12-AUG-08 …`` may come first)."""
    wanted = re.sub(r"[^A-Z0-9]", "", subject.upper())[:24]
    for label in SUBJECT_LABEL.finditer(text):
        value = " ".join(text[label.end() : label.end() + 400].split())
        value = re.sub(r"[^A-Z0-9]", "", MARKING.sub("", value.upper(), count=1))
        if wanted and wanted in value[: len(wanted) + 40]:
            return True
    return False
