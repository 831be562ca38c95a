"""Properties of the parser over arbitrary cable-shaped text.

The texts are composed from realistic pieces (a routing header, a classification line,
E.O./TAGS/SUBJECT/REF lines, numbered paragraphs) mixed with random words, junk lines
and lines run together, as the release's renderings do. Whatever the text, the parser
raises nothing but ParseError, every tag it gives is tag-shaped and there are at most
MOST_TAGS of them, and every reference it gives is a cable id, of a post, of a year not
after the citing cable's (``cables.measuring.evidence``, as ``check_archive`` warns).
"""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cables.measuring.evidence import reference_id_problem
from cables.parsing import ParseError, parse_cable
from cables.parsing.tags import MOST_TAGS, looks_like_tag
from cables.writing.cable_data import REFERENCE_ID

PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

words = st.text(
    alphabet=string.ascii_letters + string.digits + ".,;:()/-'&", min_size=1, max_size=12
)
upper_words = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=9)
posts = st.one_of(
    st.sampled_from(["MEXICO", "STATE", "SAN JOSE", "BUENOS AIRES", "USUN", "RIO", "SECSTATE"]),
    st.sampled_from(["PARA", "INCSR BRAZIL", "UNSCR", "LONDON DAILY", "E-MAIL OF", "SAO 06 PAULO"]),
    upper_words,
)
serials = st.integers(min_value=0, max_value=9_999_999).map(str)
years = st.sampled_from(["", "08 ", "2007 ", "(08) ", "99 "])
markings = st.sampled_from(["", "(C) ", "(SBU) ", "(C/NF) ", "(U//FOUO) ", "(s) "])
tag_pieces = st.one_of(
    st.sampled_from(["PREL", "PGOV", "MX", "KCRM", "SNAR", "ETRDEINVTINTCS", "IRAQI FREEDOM"]),
    st.sampled_from(["CLINTON, HILLARY", "(RICE, CONDOLEEZZA)", "TAGS", "SUBJECT:", "[PREL](#)"]),
    upper_words,
    words,
)
separators = st.sampled_from([", ", " ", ",", "; ", "  ", "\n"])


@st.composite
def joined(draw, pieces, most=12):
    items = draw(st.lists(pieces, max_size=most))
    return "".join(item + draw(separators) for item in items)


@st.composite
def reference_item(draw):
    letter = draw(st.sampled_from(["", "A. ", "¶B. ", "(C) ", "D) "]))
    tail = draw(st.sampled_from(["", " AND 1234", " (NOTAL)", " 001.2 OF 002", "..."]))
    return f"{letter}{draw(years)}{draw(posts)} {draw(serials)}{tail}"


@st.composite
def paragraph(draw):
    number = draw(st.integers(min_value=1, max_value=2100))
    text = draw(joined(st.one_of(words, upper_words), most=20))
    return f"{draw(st.sampled_from(['', '¶']))}{number}. {draw(markings)}{text}"


junk_lines = st.one_of(
    words,
    st.sampled_from(
        [
            "",
            "MEXICO 00002160  002 OF 004",
            "SECTION 01 OF 04",
            "This record is a partial extract of the original cable.",
            "NNNN",
            "BT",
            "XXXXXXXXXXXX",
            "------------------",
            "2008-07-15 12:12:00",
            "REF: ",
            "TAGS:",
            "SUBJECT:",
        ]
    ),
)


@st.composite
def cable_text(draw):
    lines = [
        draw(st.sampled_from(["VZCZCXRO1234", "", "VZCZCSYN0001"])),
        draw(st.sampled_from(["P 151240Z JUL 08", "R 250930Z FEB 72", "O 010000Z JAN 10", ""])),
        draw(
            st.sampled_from(["FM AMEMBASSY MEXICO", "FM SECSTATE WASHDC", "FM USUN NEW YORK", ""])
        ),
        "TO SECSTATE WASHDC PRIORITY 4371",
        draw(
            st.sampled_from(
                [
                    "UNCLAS MEXICO 002160",
                    "C O N F I D E N T I A L SECTION 01 OF 02 MEXICO 002160",
                    "S E C R E T NOFORN",
                    "UNCLAS E F T O",
                    "SENSITIVE",
                    "",
                ]
            )
        ),
        f"E.O. 12958: DECL: {draw(words)}",
        f"TAGS: {draw(joined(tag_pieces))}",
        f"SUBJECT: {draw(markings)}{draw(joined(st.one_of(words, upper_words), most=8))}",
        f"REF: {draw(joined(reference_item(), most=6))}",
        *draw(st.lists(paragraph(), max_size=6)),
    ]
    junk = draw(st.lists(st.tuples(st.integers(0, len(lines)), junk_lines), max_size=6))
    for position, line in junk:
        lines.insert(position, line)
    # Some renderings run several lines into one.
    runs = draw(st.lists(st.integers(0, len(lines) - 2), max_size=3))
    for position in sorted(set(runs), reverse=True):
        if position + 1 < len(lines):
            lines[position : position + 2] = [lines[position] + " " + lines[position + 1]]
    return "\n".join(lines)


def parsed(text):
    try:
        return parse_cable(text)
    except ParseError:
        return None


@PROPERTIES
@given(cable_text())
def test_parsing_cable_shaped_text_raises_nothing_but_a_parse_error(text):
    parsed(text)


@PROPERTIES
@given(cable_text())
def test_every_tag_is_tag_shaped_and_there_are_at_most_most_tags(text):
    cable = parsed(text)
    if cable is not None:
        assert len(cable.tags) <= MOST_TAGS, cable.tags
        assert [tag for tag in cable.tags if not looks_like_tag(tag)] == [], cable.tags


@PROPERTIES
@given(cable_text())
def test_every_reference_is_a_cable_id(text):
    cable = parsed(text)
    if cable is not None:
        assert [ref for ref in cable.references if not REFERENCE_ID.match(ref)] == []


@PROPERTIES
@given(cable_text())
def test_every_reference_names_a_post_and_no_later_year(text):
    cable = parsed(text)
    if cable is not None:
        year = cable.date.year if cable.date else None
        problems = {ref: reference_id_problem(ref, year) for ref in cable.references}
        assert {ref: problem for ref, problem in problems.items() if problem} == {}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cable_text())
def test_a_text_a_hundred_times_larger_of_the_same_pattern_still_parses(text):
    # Linear patterns parse it in about a hundred times the time; a backtracking one
    # would not finish.
    header, _, rest = text.partition("REF:")
    parsed(header + "REF:" + rest * 100)
