"""REF lines -> the ids of the cables they name (cables/parsing/references.py)."""

import csv
import re

import pytest

from cables.parsing import parse_cable, read_path
from cables.parsing.cable import complete_from_release, release_date
from cables.parsing.references import split_references
from cables.reference.posts import POSTS


def test_a_year_written_before_the_post_belongs_to_that_reference():
    text = "A. MANAGUA 520 ¶B. 05 MANAGUA 500 ¶I. 2007 MANAGUA 2135 ¶L. 2006 MANAGUA 2611"
    assert split_references(text, 2008) == [
        "08MANAGUA520",
        "05MANAGUA500",
        "07MANAGUA2135",
        "06MANAGUA2611",
    ]


def test_a_year_in_brackets_after_the_serial_belongs_to_that_reference():
    text = "A. ASUNCION 701 (08) ¶B. ASUNCION 338 (07) ¶D. SAO PAULO 228"
    assert split_references(text, 2009) == ["08ASUNCION701", "07ASUNCION338", "09SAOPAULO228"]


def test_a_year_in_brackets_before_the_post_belongs_to_that_reference():
    text = "BRASILIA 1250; RECIFE 66; (08) SAO PAULO 581"
    assert split_references(text, 2009) == ["09BRASILIA1250", "09RECIFE66", "08SAOPAULO581"]


def test_a_year_run_into_the_post_is_read():
    text = "A. 09DHAHRAN 201 B. 09RIYADH 1302 G. RIYADH 103"
    assert split_references(text, 2010) == ["09DHAHRAN201", "09RIYADH1302", "10RIYADH103"]


def test_a_reference_written_as_one_word_is_read():
    assert split_references("09CAIRO0561; 08CAIRO2528", 2010) == ["09CAIRO561", "08CAIRO2528"]


def test_a_zero_or_a_one_written_for_a_letter_of_a_post_is_read_as_the_letter():
    text = "A. STATE 3836 ¶B. 05 SANTIAG0 465 ¶C. 05 0TTAWA 3518 ¶D. TR1POLI 12"
    assert split_references(text, 2006) == [
        "06STATE3836",
        "05SANTIAGO465",
        "05OTTAWA3518",
        "06TRIPOLI12",
    ]


def test_a_post_with_one_letter_missing_or_extra_is_read_as_that_post():
    text = "A. BRASILA 931 ¶B. 07 TRIPOLII 695 ¶C. SAN JSE 1955 ¶D. SECTATE 143212"
    assert split_references(text, 2009) == [
        "09BRASILIA931",
        "07TRIPOLI695",
        "09SANJOSE1955",
        "09STATE143212",
    ]


def test_a_damaged_name_that_could_be_two_posts_or_a_short_one_gives_no_id():
    # ANAMA: Panama or Manama; PARISS: Paris is too short to repair with confidence.
    assert split_references("A. ANAMA 123 ¶B. PARISS 456 ¶C. MANAMA 789", 2009) == ["09MANAMA789"]


def test_emails_telcons_reports_and_resolutions_give_no_cable_ids():
    text = (
        "A) TALLINN 276 B) LEE-GOLDSTEIN EMAIL 05/11/07 C) JOHNSON-STEVENS/GODFREY "
        "E-MAIL 10/15/07 D) MITCHELL/SIMS TELCON 02/16/2010 E) LONDON DAILY 11/3/09 "
        "F) CAIRO IIR 6 899 0149 10 G) 7 FAM 180 H) UNSCR 1737 SANCTIONS COMMITTEE "
        "I) SECDEF 122723 J) PARIS POINTS JULY 15 K) Mtcr poc 201/2006 - may 16 2006 "
        "L) BRASILIA - WHA EMAIL 2 MAY 2006"
    )
    assert split_references(text, 2007) == ["07TALLINN276"]


def test_an_unknown_name_after_another_word_or_number_is_no_post():
    text = "B. ASUNCION 338 (07) ¶C. INCSR BRAZIL 2008 ¶D. SAO 06 PAULO 1038"
    assert split_references(text, 2009) == ["07ASUNCION338"]


def test_posts_of_several_words_are_read_whole():
    text = "A) STATE 58476, B) THE HAGUE 482, C) 09 THE HAGUE 758 D) PORT AU PRINCE 2325"
    assert split_references(text, 2010) == [
        "10STATE58476",
        "10THEHAGUE482",
        "09THEHAGUE758",
        "10PORTAUPRINCE2325",
    ]


def test_short_names_of_posts_are_spelt_as_the_releases_ids_spell_them():
    text = (
        "A. SECSTATE 74879 ¶B. UNVIE 148 ¶C. USUN 614 ¶D. USEU 3226 ¶E. 08 HAGUE 468 "
        "¶F. MEXICO CITY 2636 ¶G. RIO 329 ¶H. 03 VAT 4859 ¶I. ADDIS 3365"
    )
    assert split_references(text, 2009) == [
        "09STATE74879",
        "09UNVIEVIENNA148",
        "09USUNNEWYORK614",
        "09USEUBRUSSELS3226",
        "08THEHAGUE468",
        "09MEXICO2636",
        "09RIODEJANEIRO329",
        "03VATICAN4859",
        "09ADDISABABA3365",
    ]


def test_office_words_before_a_post_are_left_out_of_its_id():
    text = "A. EMBASSY VIENNA 1450 ¶B. USMISSION GENEVA 231"
    assert split_references(text, 2009) == ["09VIENNA1450", "09GENEVA231"]


def test_serials_joined_by_and_or_commas_share_the_post_and_year():
    assert split_references("A. BRASILIA 2799 AND 2764 ¶B. STATE 41252 AND 44603", 2004) == [
        "04BRASILIA2799",
        "04BRASILIA2764",
        "04STATE41252",
        "04STATE44603",
    ]
    assert split_references("HAVANA 500 & 511", 2009) == ["09HAVANA500", "09HAVANA511"]
    # A number after a comma that is the next reference's year is no serial.
    assert split_references("A) ROME 2543, 03 ROME 5205; 04 ROME 3810", 2005) == [
        "05ROME2543",
        "03ROME5205",
        "04ROME3810",
    ]


def test_a_page_break_header_run_into_the_ref_line_is_no_reference():
    assert split_references("TRIPOLI 166 TRIPOLI 00000227 001.2 OF 005", 2008) == ["08TRIPOLI166"]


def test_the_ref_list_ends_where_a_classified_by_line_ran_into_it():
    text = (
        "TRIPOLI 466 CLASSIFIED BY: John T. Godfrey, CDA, U.S. Embassy - Tripoli. "
        "REASON: 1.4 (b), (d) 1. (C) Summary: TRIPOLI 455 reported the visit."
    )
    assert split_references(text, 2008) == ["08TRIPOLI466"]


def test_without_the_citing_cables_year_no_partial_list_is_given():
    # The caller reads the list again once the release's date gives the year.
    text = "A. A) ROME 2543 ¶B. 03 VAT 4859"
    assert split_references(text, None) == []
    assert split_references(text, 2005) == ["05ROME2543", "03VATICAN4859"]


def test_a_partial_cable_without_a_date_gets_every_reference_from_the_release_date():
    text = (
        "C O N F I D E N T I A L ROME 001234\n\nSUBJECT: A TEST\n\n"
        "REF: A. ROME 2543 ¶B. 03 ROME 5205\n\n1. Text."
    )
    cable = parse_cable(text)
    complete_from_release(cable, release_date("2005-03-01 10:00"))
    assert cable.references == ["05ROME2543", "03ROME5205"]


# --- over the real corpus --------------------------------------------------------------

NOT_CABLE_WORDS = re.compile(r"E?MAIL|MEMO|TELCON|TELECON|FAX|LETTER|DAILY|IIR|FAM|UNSCR")
MISSIONS = {"STATE", "GENEVA", "USNATO", "USEUBRUSSELS", "UNVIEVIENNA", "USUNNEWYORK"}
REFERENCE_ID = re.compile(r"^(?P<year>\d\d)(?P<post>[A-Z]+)(?P<serial>[1-9]\d{0,5})$")


@pytest.fixture(scope="module")
def corpus_references(corpus):
    """(citing cable, its REF text, the ids we make) for every cable with REF lines."""
    with open(corpus / "MANIFEST.tsv", encoding="utf-8") as manifest:
        rows = list(csv.DictReader(manifest, delimiter="\t"))
    found = []
    for row in rows:
        for item in read_path(corpus / row["path"]):
            if not hasattr(item, "text"):
                continue
            cable = parse_cable(item.text)
            complete_from_release(cable, release_date(row["created"]))
            if cable.reference_lines:
                found.append((row["reference_id"], cable.reference_lines, cable.references))
    return found


def test_every_reference_in_the_corpus_is_a_cable_id_of_a_post(corpus_references):
    known = {"".join(filter(str.isalpha, place.upper())) for place in POSTS} | MISSIONS
    wrong = []
    for citing, _text, references in corpus_references:
        for reference in references:
            parts = REFERENCE_ID.match(reference)
            post = parts["post"] if parts else ""
            place_shaped = 4 <= len(post) <= 17 and not NOT_CABLE_WORDS.search(post)
            if not parts or not (post in known or place_shaped):
                wrong.append((citing, reference))
    assert wrong == []


def test_no_reference_in_the_corpus_comes_from_an_email_a_telcon_or_a_report(
    corpus_references,
):
    wrong = [
        (citing, reference)
        for citing, _text, references in corpus_references
        for reference in references
        if NOT_CABLE_WORDS.search(REFERENCE_ID.sub(r"\g<post>", reference))
    ]
    assert wrong == []


def test_a_word_that_is_no_known_post_names_no_cable():
    text = "A. DEMARCHE 12 ¶B. INCSR 2008 ¶C. TELEGRAM 123 ¶D. 85 SAN KARADOR 25 ¶E. DHAKA 12"
    assert split_references(text, 1986) == ["86DHAKA12"]


CABLE_HEAD = """\
P 251234Z JAN 08
FM USINT HAVANA
TO SECSTATE WASHDC PRIORITY

CONFIDENTIAL HAVANA 000103

SIPDIS

E.O. 12958: DECL: 01/25/2018
TAGS: PGOV, PINR, CU
SUBJECT: CUBAN HEALTHCARE: NOTHING IS EASY

{ref}

Classified By: COM: Michael E. Parmly: For reasons 1.4 b/d

1. (C) Summary: the text.
"""


def test_a_reftel_line_is_a_ref_line():
    cable = parse_cable(CABLE_HEAD.format(ref="REFTEL: A. STATE 71325 B. HAVANA 0076"))
    assert cable.references == ["08STATE71325", "08HAVANA76"]


def test_ref_items_labelled_in_brackets_go_on_after_a_blank_line():
    ref = "REF: (A) HAVANA 02389\n\n     (B) HAVANA 02008\n     (C) HAVANA 02436"
    cable = parse_cable(CABLE_HEAD.format(ref=ref))
    assert cable.references == ["08HAVANA2389", "08HAVANA2008", "08HAVANA2436"]


def test_a_reference_dated_after_the_citing_cable_is_no_reference():
    assert split_references("A. 08 MEXICO 1; B. 71 MEXICO 2160", 1972) == ["71MEXICO2160"]


def test_a_year_after_a_word_that_is_no_post_belongs_to_the_next_reference():
    assert split_references("08 ROME 1234 AND 08 ROME 1235", 2009) == [
        "08ROME1234",
        "08ROME1235",
    ]


def test_each_serial_keeps_the_year_written_after_it():
    text = "ROME 1234 (08) AND 1235 (07); STATE 4321 (2006); ROME 2468 OF 2005"
    assert split_references(text, 2009) == [
        "08ROME1234",
        "07ROME1235",
        "06STATE4321",
        "05ROME2468",
    ]


def test_numbers_that_only_look_like_serials_give_no_id():
    text = "A. MANAGUA 07 2135 B. ZAGREB 2008 ELECTIONS REPORT C. KUWAITI 1234 D. LIMA 2009"
    assert split_references(text, 2009) == ["09LIMA2009"]
