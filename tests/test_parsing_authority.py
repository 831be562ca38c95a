"""Who classified a cable, in which office, under which reasons, and until when."""

from datetime import date

import pytest

from cables.parsing import parse_cable

from .conftest import import_paths


def cable_with(classified_by: str = "", decl: str = "11/22/2018", body: str = "") -> str:
    """A confidential cable's field lines and first paragraph, as the posts wrote them."""
    lines = [
        "C O N F I D E N T I A L SECTION 01 OF 02 MANAMA 000165",
        "",
        "SIPDIS",
        "",
        f"E.O. 12958: DECL: {decl}",
        "TAGS: PREL, PGOV, BA",
        "SUBJECT: THE CROWN PRINCE ON REGIONAL SECURITY",
        "",
    ]
    if classified_by:
        lines += [f"Classified By: {classified_by}", ""]
    lines.append(body or "1. (C) The Crown Prince received the Ambassador on May 4.")
    return "\n".join(lines)


def authority(classified_by: str) -> tuple[str, str, str]:
    cable = parse_cable(cable_with(classified_by))
    return cable.classifier, cable.classifier_title, cable.classification_reasons


def test_the_person_is_told_apart_from_a_title_written_before_the_name():
    assert authority("Acting Deputy Chief of Mission Marc Wall for Reasons 1.4 (b) and (d)") == (
        "Marc Wall",
        "Acting Deputy Chief of Mission",
        "1.4 (b), (d)",
    )


def test_a_title_written_after_the_name_follows_its_comma():
    line = (
        "Rose E. Gottemoeller, Assistant Secretary, Department of State, VCI; REASON: 1.4(B), (D)"
    )
    assert authority(line) == (
        "Rose E. Gottemoeller",
        "Assistant Secretary, Department of State, VCI",
        "1.4 (b), (d)",
    )


def test_an_office_abbreviation_before_the_name_is_the_title():
    assert authority("CDA John Smith, reasons 1.4(b) and (d)") == (
        "John Smith",
        "CDA",
        "1.4 (b), (d)",
    )


def test_a_line_all_in_capitals_splits_on_the_words_of_ranks_and_offices():
    assert authority("POLOFF JANE DOE FOR REASONS 1.4 B/D") == (
        "JANE DOE",
        "POLOFF",
        "1.4 (b), (d)",
    )


def test_an_executive_order_number_before_the_reasons_is_not_part_of_the_title():
    # Read from the line itself: the reader gives an ``E.O.`` inside a line a line of its own.
    from cables.parsing.authority import read_authority

    line = "Political Counselor Jane Roe, E.O. 12958, reasons 1.4 (b) and (d)"
    read = read_authority(line)
    assert (read.person, read.title, read.reasons) == (
        "Jane Roe",
        "Political Counselor",
        "1.4 (b), (d)",
    )


def test_ad_interim_stays_with_the_title_and_is_not_read_as_initials():
    assert authority("CHARGE D'AFFAIRES A. I. CAROL URBAN, REASONS 1.4 B/D") == (
        "CAROL URBAN",
        "CHARGE D'AFFAIRES a.i.",
        "1.4 (b), (d)",
    )


def test_a_name_keeps_its_suffix_written_after_a_comma():
    assert authority("DCM Robert O. Blake, Jr. for Reasons 1.4 (B, D)")[0] == "Robert O. Blake Jr."


def test_a_range_of_reasons_lists_every_letter_in_it():
    assert authority("Legal Counselor Clifton M. Johnson per reasons 1.5(b)-(d )")[2] == (
        "1.5 (b), (c), (d)"
    )


def test_reasons_split_by_a_hard_wrap_are_read_whole():
    assert authority("ECONOMIC MINISTER COUNSELOR DONALD BLOME FO R REASONS 1.4 (B) AN D (D)") == (
        "DONALD BLOME",
        "ECONOMIC MINISTER COUNSELOR",
        "1.4 (b), (d)",
    )


def test_the_marking_of_the_next_paragraph_is_not_a_reason():
    line = "Political Counselor Richard M. Mills, Jr. for reasons 1.4 (b) and (d) (C)"
    assert authority(line)[2] == "1.4 (b), (d)"


def test_words_that_are_no_name_give_no_classifier():
    assert authority("Derived from Multiple Sources") == ("", "", "")


def test_a_name_the_release_cut_off_is_left_out():
    assert authority("AMBASSADOR ROLAND ARN...") == ("", "AMBASSADOR", "")


def test_reasons_the_release_cut_off_are_left_out():
    assert authority("ECON LARRY L. MEMMOTT, REASONS 1.4 (B,...")[2] == ""


def test_a_classified_by_line_opening_the_first_paragraph_is_read():
    body = "1. CLASSIFIED BY CDA JOSEPH MERANTE FOR REASONS 1.5 (A) AND (D). CONFIDENTIAL"
    body += "\n\n2. (C) The Holy See spoke for peace."
    cable = parse_cable(cable_with(body=body))
    assert cable.classified_by == "CDA JOSEPH MERANTE FOR REASONS 1.5 (A) AND (D)"
    assert (cable.classifier, cable.classifier_title) == ("JOSEPH MERANTE", "CDA")
    assert cable.classification_reasons == "1.5 (a), (d)"


@pytest.mark.parametrize(
    ("decl", "day"),
    [
        ("11/22/2012", date(2012, 11, 22)),
        ("4/24/05", date(2005, 4, 24)),
        ("2020/02/23", date(2020, 2, 23)),
        ("2019-02-12", date(2019, 2, 12)),
        ("12-29-13", date(2013, 12, 29)),
    ],
)
def test_a_declassification_date_is_read_as_a_us_date(decl, day):
    cable = parse_cable(cable_with(decl=decl))
    assert (cable.declassify_on, cable.declassify_date) == (decl, day)


@pytest.mark.parametrize("decl", ["OADR", "X1, X5", "25X1", "02/30/2015"])
def test_a_declassification_that_names_no_real_day_keeps_only_its_words(decl):
    cable = parse_cable(cable_with(decl=decl))
    assert (cable.declassify_on, cable.declassify_date) == (decl, None)


@pytest.mark.django_db
def test_the_cable_page_shows_the_classifier_the_title_and_the_reasons_in_rows(client, corpus):
    report = import_paths(corpus / "cablegate-2011-04" / "2010" / "02" / "10DAKAR127.html")
    assert report.created == 1, report.failures
    page = " ".join(client.get("/cables/10DAKAR127/").content.decode().split())
    assert '<th scope="row">Classified by</th><td>Marcia Bernicat</td>' in page
    assert '<th scope="row">Classifier\'s title</th><td>Ambassador, DOS, Exec</td>' in page
    assert '<th scope="row">Reasons (E.O. 12958)</th><td>1.4 (b), (d)</td>' in page
    assert '2020/02/18 <time datetime="2020-02-18">(February 18, 2020)</time>' in page


def test_a_post_after_an_embassy_is_no_person_and_stays_in_the_title():
    for post in ("Rome", "Baghdad", "Tel Aviv"):
        line = f"Political Section, Embassy {post}, Reasons 1.4 (b) and (d)"
        assert authority(line) == ("", f"Political Section, Embassy {post}", "1.4 (b), (d)")


def test_a_post_alone_before_the_reasons_is_no_person():
    assert authority("Baghdad, for reasons 1.4 (b) and (d)")[0] == ""
