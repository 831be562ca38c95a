"""The reference id and the classification, read from damaged classification lines."""

import pytest

from cables.parsing import parse_cable, read_path


def telegram(
    classification_line: str,
    sender: str = "AMEMBASSY TRIPOLI",
    de_line: str = "DE RUEHTRO #0648/01 1231234",
    dtg: str = "R 031234Z MAY 09",
    under: str = "SIPDIS",
    addressees: str = "",
) -> str:
    """A cable of the usual shape around the given classification line."""
    return (
        f"VZCZCXRO1234\nRR RUEHWEB\n{de_line}\nZNY CCCCC ZZH\n{dtg}\nFM {sender}\n"
        f"TO RUEHC/SECSTATE WASHDC 1234\n{addressees}BT\n\n"
        f"{classification_line}\n\n{under}\n\n"
        "E.O. 12958: DECL: 05/03/2019\nTAGS: PREL, PGOV\nSUBJECT: TALKS WITH THE MINISTER\n\n"
        "1. (C) The minister received the Ambassador on May 2.\n"
    )


@pytest.mark.parametrize(
    "line",
    [
        "UNCLAS E F T O SECTION 01 OF 03 TRIPOLI 000648",
        "UNCLAS E F T O TRIPOLI 000648",
        "SECRET S I P D I S TRIPOLI 000648",
        "CONFIDENTIAL E X D I S SECTION 01 OF 02 TRIPOLI 000648",
    ],
)
def test_letter_spaced_caveats_before_the_post_are_caveats_not_part_of_the_post(line):
    cable = parse_cable(telegram(line))
    assert cable.reference_id == "09TRIPOLI648"


def test_letter_spaced_caveats_are_kept_as_caveats():
    cable = parse_cable(telegram("UNCLAS E F T O SECTION 01 OF 03 TRIPOLI 000648"))
    assert cable.caveats == ["EFTO", "SIPDIS"]


@pytest.mark.parametrize(
    "section",
    ["SCTION 02 OF 02", "SECTON 02 OF 02", "SECTION02 OF 02", "S E C T I O N 2 OF 2"],
)
def test_a_damaged_section_marker_is_not_taken_for_the_post(section):
    text = telegram(
        f"UNCLAS {section} SAO PAULO 000335",
        sender="AMCONSUL SAO PAULO",
        de_line="DE RUEHSO #0335/01 1231234",
        dtg="R 031234Z MAY 08",
    )
    assert parse_cable(text).reference_id == "08SAOPAULO335"


@pytest.mark.parametrize(
    "line", ["SECRET XXXXXXXXXXXX 000004", "SECRET SECTION 01 OF 02 XXXXXXXXXXXX 000004"]
)
def test_a_redacted_post_is_named_by_the_fm_line_with_the_classification_lines_serial(line):
    text = telegram(line, de_line="DE RUEHTRO #0004/01 0041234", dtg="R 041234Z JAN 10")
    cable = parse_cable(text)
    assert cable.reference_id == "10TRIPOLI4"
    assert cable.sender.code == "AMEMBASSY TRIPOLI"


def test_a_redacted_post_without_a_header_gives_no_post_rather_than_the_redaction():
    text = "SECRET XXXXXXXXXXXX 000004\n\nSIPDIS\n\nSUBJECT: TALKS\n\n1. (S) Text.\n"
    cable = parse_cable(text)
    assert (cable.post, cable.serial) == ("", "4")
    assert cable.sender is None


def test_for_official_use_only_on_the_classification_line_is_not_part_of_the_post():
    cable = parse_cable(telegram("UNCLAS FOR OFFICIAL USE ONLY TRIPOLI 000648"))
    assert cable.reference_id == "09TRIPOLI648"
    assert cable.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


@pytest.mark.parametrize("under", ["N O F O R N", "N O F O R N\nS I P D I S"])
def test_a_letter_spaced_noforn_under_the_classification_line_makes_it_noforn(under):
    text = telegram(
        "C O N F I D E N T I A L SECTION 01 OF 02 BAGHDAD 001234",
        sender="AMEMBASSY BAGHDAD",
        de_line="DE RUEHGB #1234/01 1231234",
        under=under,
    )
    cable = parse_cable(text)
    assert cable.classification == "CONFIDENTIAL//NOFORN"
    assert cable.reference_id == "09BAGHDAD1234"


def test_a_classification_line_above_the_routing_header_leaves_the_header_to_be_read():
    text = "S E C R E T   STATE   00119085\n" + telegram(
        "S E C R E T SECTION 01 OF 11 STATE 119085",
        sender="SECSTATE WASHDC",
        de_line="DE RUEHC #9085/01 3221739",
        dtg="P 181729Z NOV 09",
    )
    cable = parse_cable(text)
    assert cable.reference_id == "09STATE119085"
    assert cable.date_source == "dtg" and cable.date.day == 18
    assert cable.sender.code == "SECSTATE WASHDC"
    assert cable.precedence == "PRIORITY"


def test_a_long_list_of_addressees_does_not_hide_the_classification_lines_five_digit_serial():
    addressees = "".join(f"RUEHXX/AMEMBASSY POST{number} PRIORITY\n" for number in range(700))
    text = telegram(
        "CONFIDENTIAL STATE 049854",
        sender="SECSTATE WASHDC",
        de_line="DE RUEHC #9854 1231234",
        addressees=addressees,
    )
    assert parse_cable(text).reference_id == "09STATE49854"


def test_the_release_page_whose_id_kept_the_spaced_efto_gives_the_posts_own_id(corpus):
    page = corpus / "cablegate-2011-04" / "2009" / "12" / "09EFTOLONDON2905.html"
    (item,) = list(read_path(page))
    assert item.metadata["reference_id"] == "09EFTOLONDON2905"
    assert parse_cable(item.text).reference_id == "09LONDON2905"


@pytest.mark.parametrize(
    ("sender", "line", "reference_id"),
    [
        ("AMEMBASSY PORT AU PRINCE", "UNCLAS PORT-AU-PRINCE 000123", "09PORTAUPRINCE123"),
        ("AMEMBASSY NDJAMENA", "UNCLAS N'DJAMENA 000123", "09NDJAMENA123"),
        ("AMCONSUL ST PETERSBURG", "UNCLAS ST. PETERSBURG 000012", "09STPETERSBURG12"),
    ],
)
def test_a_post_with_hyphens_apostrophes_or_stops_is_spelt_by_its_letters(
    sender, line, reference_id
):
    assert parse_cable(telegram(line, sender=sender)).reference_id == reference_id
