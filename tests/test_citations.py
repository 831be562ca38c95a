"""Citations of 08MEXICO2160 and its paragraph 3, checked field by field."""

import json
import re
from datetime import UTC, datetime

import pytest

from cables.reading.citations import (
    CitationSource,
    apa,
    bibtex,
    bibtex_escape,
    chicago_bibliography,
    chicago_note,
    csl_json,
    mla,
    ris,
    title_case,
)

URL = "https://cables.example.org/cables/08MEXICO2160/p3/"


@pytest.fixture
def paragraph():
    return CitationSource(
        reference_id="08MEXICO2160",
        sender="Embassy Mexico",
        date=datetime(2008, 7, 15, 12, 40, tzinfo=UTC),
        subject="SCENESETTER FOR DHS SECRETARY MICHAEL CHERTOFF, JULY 17-19",
        classification="UNCLASSIFIED//FOR OFFICIAL USE ONLY",
        url=URL,
        paragraph="3",
    )


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (
            "SCENESETTER FOR DHS SECRETARY MICHAEL CHERTOFF, JULY 17-19",
            "Scenesetter for DHS Secretary Michael Chertoff, July 17-19",
        ),
        (
            "U.S.- CUBA CHILL EXAGGERATED, BUT OLD WAYS",
            "U.S.- Cuba Chill Exaggerated, but Old Ways",
        ),
        ("THE GOM AND THE USG ON THE BORDER FENCE", "The GOM and the USG on the Border Fence"),
        ("IRAN: NATO AND THE IAEA", "Iran: NATO and the IAEA"),
        ("Already Mixed Case", "Already Mixed Case"),
        ("", "(no subject)"),
    ],
)
def test_prose_styles_title_case_subjects_and_keep_acronyms(subject, expected):
    assert title_case(subject) == expected


def test_chicago_note(paragraph):
    assert chicago_note(paragraph) == (
        "US Embassy Mexico, “Scenesetter for DHS Secretary Michael Chertoff, July 17-19,” "
        f"cable 08MEXICO2160, July 15, 2008, ¶3, {URL}."
    )


def test_chicago_bibliography(paragraph):
    assert chicago_bibliography(paragraph) == (
        "US Embassy Mexico. “Scenesetter for DHS Secretary Michael Chertoff, July 17-19.” "
        "Cable 08MEXICO2160, ¶3, July 15, 2008. Unclassified//For Official Use Only. "
        f"Cable Archive. {URL}."
    )


def test_mla(paragraph):
    assert mla(paragraph) == (
        "United States, Embassy Mexico. “Scenesetter for DHS Secretary Michael Chertoff, "
        "July 17-19.” Cable 08MEXICO2160, 15 July 2008, par. 3. Cable Archive, "
        "cables.example.org/cables/08MEXICO2160/p3/."
    )


def test_apa(paragraph):
    assert apa(paragraph) == (
        "US Embassy Mexico. (2008, July 15). Scenesetter for DHS Secretary Michael Chertoff, "
        f"July 17-19 (Cable 08MEXICO2160, ¶3). Cable Archive. {URL}"
    )


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """A strict little reader for one entry: @type{key, name = {value}, ...}."""
    match = re.fullmatch(r"@(\w+)\{([A-Za-z][A-Za-z0-9]*),\n(.*)\n\}\n", text, re.DOTALL)
    assert match, text
    fields = {}
    for line in match.group(3).split(",\n"):
        name, value = re.fullmatch(r"  (\w+) = \{(.*)\}", line, re.DOTALL).groups()
        depth = 0
        for position, character in enumerate(value):
            escaped = position > 0 and value[position - 1] == "\\"
            if character == "{" and not escaped:
                depth += 1
            elif character == "}" and not escaped:
                depth -= 1
            assert depth >= 0, f"unbalanced braces in {name}"
        assert depth == 0, f"unbalanced braces in {name}"
        fields[name] = value
    return match.group(1), match.group(2), fields


def test_bibtex_parses_back_with_the_original_title(paragraph):
    entry_type, key, fields = parse_bibtex(bibtex(paragraph))
    assert entry_type == "misc"
    assert key == "cable08MEXICO2160p3"
    assert fields == {
        "author": "{US Embassy Mexico}",
        "title": "SCENESETTER FOR DHS SECRETARY MICHAEL CHERTOFF, JULY 17-19",
        "type": "Cable",
        "number": "08MEXICO2160",
        "date": "2008-07-15",
        "note": "UNCLASSIFIED//FOR OFFICIAL USE ONLY, ¶3",
        "organization": "Cable Archive",
        "url": URL,
    }


def test_bibtex_escapes_its_special_characters(paragraph):
    assert bibtex_escape("R&D 100% of_this #1 {x}") == r"R\&D 100\% of\_this \#1 \{x\}"
    paragraph.subject = "AT&T {SECRET} 50% OF_FUNDS #2"
    _, _, fields = parse_bibtex(bibtex(paragraph))
    assert fields["title"] == r"AT\&T \{SECRET\} 50\% OF\_FUNDS \#2"


def test_ris_has_each_tag(paragraph):
    text = ris(paragraph)
    assert text.endswith("ER  - \r\n")
    lines = text.split("\r\n")[:-1]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines)
    tags = {line[:2]: line[6:] for line in lines}
    assert tags == {
        "TY": "GOVDOC",
        "AU": "US Embassy Mexico",
        "TI": "SCENESETTER FOR DHS SECRETARY MICHAEL CHERTOFF, JULY 17-19",
        "PY": "2008",
        "DA": "2008/07/15",
        "M3": "Cable",
        "AN": "08MEXICO2160",
        "N1": "UNCLASSIFIED//FOR OFFICIAL USE ONLY, ¶3",
        "PB": "Cable Archive",
        "UR": URL,
        "ER": "",
    }
    assert lines[0] == "TY  - GOVDOC"


CSL_TYPES = {"document", "report", "article", "book", "webpage"}
CSL_STRING_FIELDS = {
    "id",
    "type",
    "genre",
    "title",
    "number",
    "publisher",
    "URL",
    "note",
    "section",
}


def test_csl_json_has_the_schema_shape(paragraph):
    items = json.loads(csl_json(paragraph))
    assert isinstance(items, list) and len(items) == 1
    item = items[0]
    assert set(item) == CSL_STRING_FIELDS | {"author", "issued"}
    assert item["type"] in CSL_TYPES
    for name in CSL_STRING_FIELDS:
        assert isinstance(item[name], str)
    assert item["author"] == [{"literal": "US Embassy Mexico"}]
    assert item["issued"] == {"date-parts": [[2008, 7, 15]]}
    assert item["title"] == "SCENESETTER FOR DHS SECRETARY MICHAEL CHERTOFF, JULY 17-19"
    assert item["number"] == "08MEXICO2160"
    assert item["section"] == "¶3"
    assert item["URL"] == URL


def test_a_whole_cable_citation_has_no_paragraph(paragraph):
    paragraph.paragraph = ""
    paragraph.url = "https://cables.example.org/cables/08MEXICO2160/"
    assert "¶" not in chicago_note(paragraph)
    assert "section" not in json.loads(csl_json(paragraph))[0]
    assert parse_bibtex(bibtex(paragraph))[1] == "cable08MEXICO2160"
