"""The parser on both renderings of the seed cable, and on input that is not a cable."""

import difflib
import io
import zipfile
from datetime import UTC, datetime

import pytest

from cables.parsing import ParseError, parse_cable, read_path
from cables.parsing.readers import read_bytes

from .conftest import SEED

SEED_INFO = [
    "ALL US CONSULATES IN MEXICO COLLECTIVE",
    "DEPT OF HOMELAND SECURITY",
    "CDR USNORTHCOM",
    "CDR USSOUTHCOM MIAMI FL",
    "DEPT OF TREASURY WASHINGTON DC",
    "NATIONAL SECURITY COUNCIL WASHINGTON DC",
]


def parse_file(path):
    (item,) = list(read_path(path))
    assert not isinstance(item, ParseError), item
    return parse_cable(item.text)


@pytest.fixture(scope="module")
def seed():
    return parse_file(SEED)


@pytest.fixture(scope="module")
def seed_from_html(seed_html):
    return parse_file(seed_html)


def assert_seed_metadata(cable):
    assert cable.reference_id == "08MEXICO2160"
    assert cable.date == datetime(2008, 7, 15, 12, 40, tzinfo=UTC)
    assert cable.date_source == "dtg"
    assert cable.sender.name == "Embassy Mexico"
    assert cable.sender.code == "AMEMBASSY MEXICO"
    assert cable.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert cable.caveats == ["SIPDIS", "SENSITIVE"]
    assert cable.tags == ["PREL", "PGOV", "PHUM", "SNAR", "KCRM", "MX"]
    assert cable.subject == "SCENESETTER FOR DHS SECRETARY MICHAEL CHERTOFF, JULY 17-19"
    assert cable.to == ["SECSTATE WASHDC"]
    assert cable.info == SEED_INFO
    assert cable.precedence == "ROUTINE"
    assert cable.transmission_id == "VZCZCXRO7283"
    assert cable.signer == "PARNELL"
    assert not cable.is_partial


def assert_seed_paragraphs(cable):
    paragraphs = cable.paragraphs
    assert [paragraph.number for paragraph in paragraphs] == [
        str(number) for number in range(1, 11)
    ]
    assert [paragraph.anchor for paragraph in paragraphs] == [
        f"p{number}" for number in range(1, 11)
    ]
    assert {paragraph.marking for paragraph in paragraphs} == {"SBU"}
    headed = {paragraph.number: paragraph.heading for paragraph in paragraphs if paragraph.heading}
    assert headed == {
        "2": "Strengthening Law Enforcement",
        "5": "Stakes Rising for Security Officials",
        "6": "Combating Corruption",
        "7": "Justice Reform",
        "8": "Political Landscape",
        "9": "U.S.- Mexico Relations",
        "10": "Key Issues",
    }
    by_number = {paragraph.number: paragraph.text for paragraph in paragraphs}
    assert "A new disturbing trend in recent months" in by_number["5"]
    assert "The GOM strongly opposes the construction of walls" in by_number["10"]
    assert "primary placement point for criminal proceeds" in by_number["10"]
    assert by_number["1"].startswith("Welcome to Mexico City.")
    for paragraph in paragraphs:
        assert "00002160" not in paragraph.text, f"page-break line left in ¶{paragraph.number}"
        assert "PARNELL" not in paragraph.text


def test_seed_text_gives_every_published_value(seed):
    assert_seed_metadata(seed)


def test_seed_text_gives_ten_numbered_paragraphs_with_headings(seed):
    assert_seed_paragraphs(seed)


def test_page_breaks_do_not_split_paragraphs(seed):
    fence = next(paragraph for paragraph in seed.paragraphs if paragraph.number == "10").text
    assert "opposes the construction of walls" in fence
    assert "contraband, including drugs/precursors" in fence


def test_unnumbered_blocks_stay_inside_paragraph_ten_with_bullets_on_their_own_lines(seed):
    text = seed.paragraphs[-1].text
    assert text.startswith("Key Issues During Your Visit Include:")
    assert "\n\n-- Border Security: In FY 2007" in text
    assert "\n\nThe protocols addressing border violence" in text


def test_quote_artifact_is_shown_as_quotes(seed):
    text = seed.paragraphs[-1].text
    assert "“Operation Armas Cruzadas”" in text
    assert "&Operation" not in text


def test_html_rendering_gives_the_same_metadata(seed_from_html):
    assert_seed_metadata(seed_from_html)


def test_html_rendering_gives_the_same_paragraphs(seed, seed_from_html):
    assert_seed_paragraphs(seed_from_html)
    for text_paragraph, html_paragraph in zip(
        seed.paragraphs, seed_from_html.paragraphs, strict=True
    ):
        assert text_paragraph.anchor == html_paragraph.anchor
        assert text_paragraph.marking == html_paragraph.marking
        assert text_paragraph.heading == html_paragraph.heading
        # The two renderings differ in white space and a handful of words.
        words = difflib.SequenceMatcher(
            None, text_paragraph.text.split(), html_paragraph.text.split()
        )
        assert words.ratio() > 0.99, text_paragraph.anchor


def test_html_reader_keeps_the_release_metadata_and_tag_links(seed_html):
    (item,) = list(read_path(seed_html))
    assert item.format == "html"
    assert item.metadata["reference_id"] == "08MEXICO2160"
    assert item.metadata["origin"] == "Embassy Mexico"
    assert "TAGS: [PREL](#) [PGOV](#)" in item.text
    assert "<a " not in item.text


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n  ", "Just a note to myself about lunch.", "<html><body>hello</body></html>"],
)
def test_text_that_is_not_a_cable_raises_parse_error(text):
    with pytest.raises(ParseError):
        parse_cable(text)


def test_binary_text_raises_parse_error():
    with pytest.raises(ParseError, match="binary"):
        parse_cable("VZCZC\x00\x01\x02")


def test_reader_names_the_file_and_reason_for_bad_input():
    (empty,) = list(read_bytes(b"", "empty.txt"))
    assert isinstance(empty, ParseError) and empty.source == "empty.txt" and "empty" in empty.reason
    (binary,) = list(read_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", "picture.txt"))
    assert isinstance(binary, ParseError) and "binary" in binary.reason
    (page,) = list(read_bytes(b"<html><body>No cable here</body></html>", "page.html"))
    assert isinstance(page, ParseError) and "no cable" in page.reason.lower()
    (other,) = list(read_bytes(b"hello", "notes.docx"))
    assert isinstance(other, ParseError) and "not a cable file" in other.reason


def test_windows_1252_text_is_decoded_not_rejected():
    text = SEED.read_text(encoding="utf-8").replace(
        "Welcome to Mexico City.", "Welcome to Mexico City \u2014 caf\u00e9."
    )
    data = text.encode("utf-8").replace("¶".encode(), b"\xb6")
    data = data.replace("\u2014".encode(), b"\x97").replace("\u00e9".encode(), b"\xe9")
    data = data.replace("\u201c".encode(), b"\x93")
    (item,) = list(read_bytes(data, "cp1252.txt"))
    cable = parse_cable(item.text)
    assert cable.paragraphs[0].text.startswith("Welcome to Mexico City \u2014 caf\u00e9.")
    assert len(cable.paragraphs) == 10


def test_csv_reader_streams_rows_with_the_release_metadata(corpus):
    items = list(read_path(corpus / "cables-csv" / "cables_sample.csv"))
    assert [item.metadata["reference_id"] for item in items] == [
        "66BUENOSAIRES2481",
        "72TEHRAN1164",
    ]
    first = parse_cable(items[0].text)
    assert first.sender.name == "Embassy Buenos Aires"
    assert first.date == datetime(1966, 12, 28, 18, 48, tzinfo=UTC)
    assert '"PREFERENTIAL JURISDICTION"' in items[0].text


def test_csv_row_with_the_wrong_number_of_columns_is_named():
    data = b'"1","12/28/1966 18:48","66X1","Embassy X"\n'
    (error,) = list(read_bytes(data, "cables.csv"))
    assert isinstance(error, ParseError)
    assert "4 columns, expected 8" in error.reason and error.line == 1


def test_zip_members_are_read_and_bad_members_named(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("folder/08MEXICO2160.txt", SEED.read_bytes())
        archive.writestr("../escape.txt", b"")
    path = tmp_path / "upload.zip"
    path.write_bytes(buffer.getvalue())
    items = list(read_path(path))
    assert [type(item).__name__ for item in items] == ["SourceText", "ParseError"]
    assert items[0].name.endswith("upload.zip:folder/08MEXICO2160.txt")
    assert "empty" in items[1].reason


def test_truncated_zip_is_a_parse_error(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("08MEXICO2160.txt", SEED.read_bytes())
    path = tmp_path / "cut.zip"
    path.write_bytes(buffer.getvalue()[:200])
    (error,) = list(read_path(path))
    assert isinstance(error, ParseError) and "zip" in error.reason


def test_missing_path_is_named():
    (error,) = list(read_path("/no/such/place.txt"))
    assert isinstance(error, ParseError) and error.source == "/no/such/place.txt"


def test_reference_lines_become_reference_ids():
    from cables.parsing.references import split_references

    assert split_references("A. 08 MEXICO 1234  B. STATE 106206", 2008) == [
        "08MEXICO1234",
        "08STATE106206",
    ]
    assert split_references("STATE 106206 CIRCULAR; STATE CA-3400 NOV 2, 1966", 1966) == [
        "66STATE106206"
    ]
    assert split_references(
        'A. REF A HAVANA 639 ("A SPLENDID LITTLE VISIT")\n¶B. B HAVANA 772', 2010
    ) == [
        "10HAVANA639",
        "10HAVANA772",
    ]


@pytest.mark.parametrize(
    ("line", "classification"),
    [
        ("C O N F I D E N T I A L SECTION 01 OF 02 BAKU 000744", "CONFIDENTIAL"),
        ("C ONFIDENTIAL SECTION 01 of 03 BAKU 000744", "CONFIDENTIAL"),
        ("SS E C R E T SECTION 01 OF 03 BAKU 000744", "SECRET"),
        ("S E C R E T NOFORN BAKU 000744", "SECRET//NOFORN"),
        ("UNCLAS SECTION 01 OF 04 BAKU 000744\n\nSENSITIVE", "UNCLASSIFIED//FOR OFFICIAL USE ONLY"),
        ("S e c r e t baku 000744", "SECRET"),
    ],
)
def test_classification_lines_in_their_many_forms(line, classification):
    header = "R 151240Z JUL 09\nFM AMEMBASSY BAKU\nTO SECSTATE WASHDC"
    text = f"{header}\n\n{line}\n\nSUBJECT: TEST\n\n1. Text."
    cable = parse_cable(text)
    assert cable.classification == classification
    assert cable.reference_id == "09BAKU744"


def test_a_cable_with_no_header_takes_its_sender_from_the_classification_line():
    text = (
        "C O N F I D E N T I A L SECTION 01 OF 09 SOFIA 001207\n\nSIPDIS\n\n"
        "SUBJ: BULGARIAN ORGANIZED CRIME\n\n¶1. (U) Text."
    )
    cable = parse_cable(text)
    assert cable.sender.name == "Embassy Sofia" and cable.sender.code == "AMEMBASSY SOFIA"
    assert cable.subject == "BULGARIAN ORGANIZED CRIME"
    assert cable.reference_id == ""  # no year in the text; the release's date supplies it
    assert (cable.post, cable.serial) == ("SOFIA", "1207")


def test_run_together_tags_are_split_and_words_are_not():
    from cables.parsing.tags import split_run_together_tag

    assert split_run_together_tag("ETRDEINVTINTCS") == ["ETRD", "EINV", "TINT", "CS"]
    assert split_run_together_tag("SNARCS") == ["SNAR", "CS"]
    assert split_run_together_tag("POLITICS") == ["POLITICS"]
    assert split_run_together_tag("BRUSSELS") == ["BRUSSELS"]
    assert split_run_together_tag("PREL") == ["PREL"]


@pytest.mark.parametrize(
    ("line", "who", "reasons"),
    [
        (
            "Ambassador Anne W. Patterson for reasons 1.4 (b, d).",
            "Ambassador Anne W. Patterson",
            "1.4 (b), (d)",
        ),
        (
            "(U) CLASSIFIED BY EAP DAS DAVID SHEAR, REASON: 1.4 (C).",
            "EAP DAS DAVID SHEAR",
            "1.4 (c)",
        ),
        (
            "Marcia Bernicat, Ambassador, DOS, Exec; REASON: 1.4(B), (D)",
            "Marcia Bernicat, Ambassador, DOS, Exec",
            "1.4 (b), (d)",
        ),
        ("Ambassador John F. Tefft ...", "Ambassador John F. Tefft", ""),
    ],
)
def test_classified_by_lines_split_into_who_and_reasons(line, who, reasons):
    from cables.parsing.authority import read_authority

    authority = read_authority(line)
    assert (authority.who, authority.reasons) == (who, reasons)
