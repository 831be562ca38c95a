"""Senders named as the release names them: from the FM line's telegraphic address, or,
in partial extracts with no FM line, from the classification line's post."""

import pytest

from cables.parsing import parse_cable, read_path
from cables.parsing.senders import sender_name
from tests.corpus_helpers import manifest

PARTIAL_NOTE = (
    "This record is a partial extract of the original cable. "
    "The full text of the original cable is not available."
)


def routed_cable(fm_line: str) -> str:
    return (
        "VZCZCXRO4711\nRR RUEHWEB\nDE RUEHC #0412/01 1231530\nZNY CCCCC ZZH\n"
        f"R 031530Z MAY 09\nFM {fm_line}\nTO RUEHAK/AMEMBASSY ANKARA 0412\n"
        "BT\nC O N F I D E N T I A L STATE 000412\n\nSIPDIS\n\n"
        "E.O. 12958: DECL: 05/02/2019\nTAGS: PREL TU\n"
        "SUBJECT: TALKING POINTS FOR THE MINISTER\n\n"
        "1. (C) Post may draw on the points below. End.\n"
    )


def partial_extract(post: str) -> str:
    return (
        f"{PARTIAL_NOTE}\n\nC O N F I D E N T I A L SECTION 01 OF 02 {post} 000412 \n \n"
        "SIPDIS \n \nE.O. 12958: DECL: 05/02/2015 \nTAGS: PGOV PREL \n"
        "SUBJECT: PARTY ELECTIONS GO TO A SECOND ROUND \n \n"
        "¶1. (C) Summary: Party leaders claim a large turnout. End Summary.\n"
    )


def release_address(name: str) -> str:
    """The telegraphic address behind a name of the release, built from the name by the
    telegraph's conventions (the reverse of the parser's rule, written independently)."""
    whole = {
        "Secretary of State": "SECSTATE WASHDC",
        "UNVIE": "USMISSION UNVIE VIENNA",
        "Iran RPO Dubai": "RPO DUBAI",
    }
    if name in whole:
        return whole[name]
    offices = [
        ("Embassy ", "AMEMBASSY "),
        ("Consulate ", "AMCONSUL "),
        ("US Interests Section ", "USINT "),
        ("US Office ", "USOFFICE "),
        ("US Mission ", "USMISSION "),
        ("Mission ", "USMISSION "),
        ("American Institute Taiwan, ", "AIT "),
        ("US Delegation, ", "USDEL "),
        ("REO ", "REO "),
        ("USEU ", "USEU "),
        ("USUN ", "USMISSION USUN "),
    ]
    for office, prefix in offices:
        if name.startswith(office):
            return prefix + name.removeprefix(office).upper()
    raise AssertionError(f"no address convention for {name!r}")


def test_an_ait_address_is_named_american_institute_taiwan_with_a_comma_before_its_city():
    assert sender_name("AIT TAIPEI") == "American Institute Taiwan, Taipei"


def test_the_regional_presence_office_in_dubai_is_named_iran_rpo_dubai():
    assert sender_name("RPO DUBAI") == "Iran RPO Dubai"


def test_a_regional_embassy_office_keeps_reo_upper_case():
    assert sender_name("REO BASRAH") == "REO Basrah"


def test_a_delegation_is_named_us_delegation_a_comma_and_what_it_travels_with():
    assert sender_name("USDEL SECRETARY") == "US Delegation, Secretary"


def test_usmission_before_a_mission_acronym_and_its_city_gives_way_to_the_acronym():
    assert sender_name("USMISSION USUN NEW YORK") == "USUN New York"
    assert sender_name("USUN NEW YORK") == "USUN New York"


def test_usmission_before_a_mission_acronym_alone_is_mission_and_the_acronym():
    assert sender_name("USMISSION USOSCE") == "Mission USOSCE"
    assert sender_name("USMISSION USNATO") == "Mission USNATO"


def test_hyphenated_places_are_written_with_spaces_as_the_release_writes_them():
    assert sender_name("AMEMBASSY PORT-AU-PRINCE") == "Embassy Port Au Prince"


def test_a_routing_suffix_after_a_double_slash_is_not_part_of_the_fm_address():
    cable = parse_cable(routed_cable("USDEL SECRETARY//EUROPE IMMEDIATE"))
    assert cable.sender.code == "USDEL SECRETARY"
    assert cable.sender.name == "US Delegation, Secretary"


def test_an_office_suffix_after_a_slash_is_not_part_of_the_fm_address():
    cable = parse_cable(routed_cable("SECSTATE WASHDC/S/CT"))
    assert cable.sender.code == "SECSTATE WASHDC"
    assert cable.sender.name == "Secretary of State"


@pytest.mark.parametrize(
    ("post", "name"),
    [
        ("SAO PAULO", "Consulate Sao Paulo"),
        ("MONTERREY", "Consulate Monterrey"),
        ("JEDDAH", "Consulate Jeddah"),
        ("HONG KONG", "Consulate Hong Kong"),
    ],
)
def test_a_partial_extract_from_a_city_that_is_a_consulate_is_the_consulates(post, name):
    assert parse_cable(partial_extract(post)).sender.name == name


def test_a_partial_extract_from_taipei_is_the_american_institutes():
    cable = parse_cable(partial_extract("TAIPEI"))
    assert cable.sender.code == "AIT TAIPEI"
    assert cable.sender.name == "American Institute Taiwan, Taipei"


def test_a_partial_extract_from_geneva_is_the_us_missions_not_an_embassys():
    assert parse_cable(partial_extract("GENEVA")).sender.name == "US Mission Geneva"


def test_a_partial_extract_whose_post_is_already_an_address_keeps_that_address():
    cable = parse_cable(partial_extract("RPO DUBAI"))
    assert cable.sender.code == "RPO DUBAI"
    assert cable.sender.name == "Iran RPO Dubai"


def test_every_origin_the_release_names_is_reached_from_its_telegraphic_address(corpus):
    names = (corpus / "ORIGINS.txt").read_text(encoding="utf-8").splitlines()
    assert len(names) == 186
    wrong = {
        name: sender_name(release_address(name))
        for name in names
        if sender_name(release_address(name)) != name
    }
    assert not wrong


def test_every_corpus_cable_without_an_fm_line_is_named_as_the_release_names_its_origin(corpus):
    published = manifest(corpus)
    wrong = {}
    for path in sorted(corpus.glob("cablegate-2011-04/*/*/*.html")):
        for item in read_path(path):
            text = getattr(item, "text", "")
            if not text or any(line.startswith("FM ") for line in text.splitlines()):
                continue
            cable = parse_cable(text)
            origin = published[path.stem].origin
            if cable.sender is None or cable.sender.name != origin:
                wrong[path.stem] = (cable.sender, origin)
    assert not wrong
