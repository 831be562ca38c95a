"""cables/reference/posts.py: the country of each sender's post, for the senders page's groups.

Checked against the release's own origins (MANIFEST.tsv) and against the synthetic
generator's real posts (``cables/generating/shape.py``), each with the FIPS code the
generator gives it. Its 24 invented consulates (random names, random countries) are
left out: they are not posts, and ``country_of`` files them under "Other".
"""

import pytest

from cables.generating.shape import OTHER_SENDERS, SENDERS, TOP_SENDERS
from cables.parsing.senders import address_from_post, sender_name
from cables.reference.posts import (
    OTHER,
    POSTS,
    WASHINGTON_AND_MISSIONS,
    country_of,
    group_of,
    is_washington_or_mission,
    post_of,
)
from cables.reference.tag_descriptions import COUNTRY_TAGS
from tests.corpus_helpers import manifest

# The senders of the release that are in no country: the Department in Washington and
# US missions to international organisations.
RELEASE_WASHINGTON_AND_MISSIONS = {
    "Secretary of State",
    "Mission USNATO",
    "UNVIE",
    "US Mission Geneva",
    "USEU Brussels",
}


def generator_posts() -> list[tuple[str, str]]:
    """The synthetic generator's real posts (not its invented consulates), as
    (telegraphic address, the FIPS code it gives the post's country)."""
    listed = len(TOP_SENDERS) + sum(1 for item in OTHER_SENDERS.split(";") if item.strip())
    missions = {address for address, _ in GENERATOR_WASHINGTON_AND_MISSIONS}
    return [
        (sender.code, sender.country) for sender in SENDERS[:listed] if sender.code not in missions
    ]


# The generator's senders in no country; it gives some of them their host's code (or
# "" for the Department), which this archive deliberately does not use for grouping.
GENERATOR_WASHINGTON_AND_MISSIONS = [
    ("SECSTATE WASHDC", ""),
    ("USMISSION GENEVA", "SZ"),
    ("USEU BRUSSELS", "BE"),
    ("USMISSION USNATO", "BE"),
    ("USMISSION UNVIE VIENNA", "AU"),
    ("USMISSION USUN NEW YORK", "US"),
    ("USMISSION USOSCE", "AU"),
]


def test_every_origin_in_the_release_manifest_has_a_country_or_is_an_international_mission(
    corpus,
):
    origins = {entry.origin for entry in manifest(corpus).values()}
    placed = {origin for origin in origins if country_of(origin) is not None}
    unplaced = origins - placed
    assert unplaced <= RELEASE_WASHINGTON_AND_MISSIONS, sorted(unplaced)
    assert all(is_washington_or_mission(origin) for origin in unplaced)
    assert not any(is_washington_or_mission(origin) for origin in placed)
    # The release's origins are not all embassies: its consulates and interests section
    # are among them.
    assert {"Consulate Sao Paulo", "US Interests Section Havana"} <= placed


def test_every_generator_address_maps_to_the_country_the_generator_gives_it():
    posts = generator_posts()
    assert len(posts) == 243
    for address, code in posts:
        name = sender_name(address)
        assert country_of(name) == (code, COUNTRY_TAGS[code]), name
        assert group_of(name) == COUNTRY_TAGS[code]


@pytest.mark.parametrize(
    ("address", "code"), GENERATOR_WASHINGTON_AND_MISSIONS, ids=lambda value: value
)
def test_the_department_and_organisation_missions_have_no_country_whatever_the_generator_says(
    address, code
):
    name = sender_name(address)
    assert country_of(name) is None, name
    assert is_washington_or_mission(name)
    assert group_of(name) == WASHINGTON_AND_MISSIONS


def test_the_generator_list_names_each_address_once():
    addresses = [address for address, _ in generator_posts() + GENERATOR_WASHINGTON_AND_MISSIONS]
    assert len(addresses) == len(set(addresses)) == 250


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Embassy Mexico", ("MX", "Mexico")),
        ("Consulate Sao Paulo", ("BR", "Brazil")),
        ("Consulate Rio De Janeiro", ("BR", "Brazil")),
        ("US Interests Section Havana", ("CU", "Cuba")),
        ("Embassy Vatican", ("VT", COUNTRY_TAGS["VT"])),
        ("Embassy Tel Aviv", ("IS", "Israel")),
        ("Embassy Bandar Seri Begawan", ("BX", "Brunei")),
        ("Embassy Tehran", ("IR", "Iran")),
        ("US Office Pristina", ("KV", "Kosovo")),
        ("American Institute in Taiwan", ("TW", "Taiwan")),
        ("Ait Taipei", ("TW", "Taiwan")),
        ("Consulate Hong Kong", ("HK", "Hong Kong")),
        ("Consulate Istanbul", ("TU", "Turkey")),
        ("Consulate Peshawar", ("PK", "Pakistan")),
        ("Consulate Kolkata", ("IN", "India")),
        ("Consulate Cape Town", ("SF", "South Africa")),
        ("Consulate Barcelona", ("SP", "Spain")),
        ("Consulate Strasbourg", ("FR", "France")),
        ("Embassy Vienna", ("AU", "Austria")),
        ("Embassy Canberra", ("AS", "Australia")),
        ("Embassy Bern", ("SZ", "Switzerland")),
        ("Embassy Seoul", ("KS", "South Korea")),
        ("Embassy Kyiv", ("UP", "Ukraine")),
        ("Embassy Kiev", ("UP", "Ukraine")),
        ("Embassy Prague", ("EZ", "Czech Republic")),
        ("Secretary of State", None),
        ("Mission USNATO", None),
        ("UNVIE", None),
        ("US Mission UNVIE Vienna", None),
        ("US Mission Geneva", None),
        ("USEU Brussels", None),
        ("US Mission USUN New York", None),
        ("USUN New York", None),
        ("US Mission OSCE", None),
        ("Embassy Nowhere", None),
    ],
)
def test_known_senders_map_to_exactly_their_country_and_the_rest_to_none(name, expected):
    assert country_of(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "EMBASSY MEXICO",
        "embassy mexico",
        "eMbAsSy MeXiCo",
        "AMEMBASSY MEXICO",
        "US Embassy Mexico",
        "American Embassy Mexico",
        "  Embassy   Mexico  ",
        "Mexico",
    ],
)
def test_matching_ignores_case_spacing_and_the_office_prefix(name):
    assert country_of(name) == ("MX", "Mexico")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Consulate São Paulo", "BR"),
        ("US Consulate Sao Paulo", "BR"),
        ("US Consulate General Sao Paulo", "BR"),
        ("AMCONSUL SAOPAULO", "BR"),
        ("consulate rio de janeiro", "BR"),
        ("Embassy Port-au-Prince", "HA"),
        ("Embassy N'Djamena", "CD"),
        ("Consulate St. Petersburg", "RS"),
        ("Consulate Osaka-Kobe", "JA"),
        ("USINT HAVANA", "CU"),
        ("Interests Section Havana", "CU"),
        ("USOFFICE PRISTINA", "KV"),
        ("Embassy Pristina", "KV"),
    ],
)
def test_matching_ignores_accents_punctuation_and_telegraphic_prefixes(name, code):
    assert country_of(name)[0] == code


@pytest.mark.parametrize("place", sorted(POSTS))
def test_every_post_in_the_table_maps_to_its_country_under_every_office_the_parser_names(place):
    code = POSTS[place]
    assert code in COUNTRY_TAGS
    for prefix in ("AMEMBASSY", "USEMBASSY", "AMCONSUL", "AMCONGEN", "USINT", "USOFFICE"):
        name = sender_name(f"{prefix} {place.upper()} 0123")
        assert country_of(name) == (code, COUNTRY_TAGS[code]), name


def test_the_post_of_a_sender_is_its_name_without_the_office_words():
    assert post_of("Consulate Sao Paulo") == "sao paulo"
    assert post_of("US Interests Section Havana") == "havana"
    assert post_of("AMCONSUL PORT-AU-PRINCE") == "port au prince"
    assert post_of("Embassy") == ""
    assert post_of(None) == ""


def test_a_post_read_from_the_classification_line_maps_like_its_fm_line():
    def country(post, text=""):
        return country_of(sender_name(address_from_post(post, text)))

    assert country("SOFIA") == ("BU", "Bulgaria")
    assert country("SAO PAULO", "AMCONSUL SAO PAULO") == ("BR", "Brazil")
    assert country("HAVANA", "USINT HAVANA") == ("CU", "Cuba")
    for post in ("STATE", "USNATO", "USEU BRUSSELS", "UNVIE VIENNA", "USUN NEW YORK"):
        name = sender_name(address_from_post(post, ""))
        assert country_of(name) is None, name
        assert group_of(name) == WASHINGTON_AND_MISSIONS, name


@pytest.mark.parametrize(
    "name",
    ["", "   ", "Embassy", "Consulate ", "Embassy Nowhere", "CDR USEUCOM VAIHINGEN", "?!", None, 7],
)
def test_unknown_or_malformed_senders_are_other_and_never_raise(name):
    assert country_of(name) is None
    assert not is_washington_or_mission(name)
    assert group_of(name) == OTHER


# The senders of the release's index of origins (ORIGINS.txt) that are in no country.
ORIGINS_WASHINGTON_AND_MISSIONS = RELEASE_WASHINGTON_AND_MISSIONS | {
    "USUN New York",
    "US Delegation, Secretary",
}


def test_every_origin_in_the_release_index_has_a_country_or_is_washington_or_a_mission(corpus):
    origins = set((corpus / "ORIGINS.txt").read_text(encoding="utf-8").splitlines())
    unplaced = {origin for origin in origins if country_of(origin) is None}
    assert unplaced == ORIGINS_WASHINGTON_AND_MISSIONS, sorted(unplaced)
    assert all(group_of(origin) == WASHINGTON_AND_MISSIONS for origin in unplaced)


def test_the_american_institute_in_taipei_is_filed_under_taiwan():
    assert country_of("American Institute Taiwan, Taipei") == ("TW", "Taiwan")


def test_iran_rpo_dubai_is_filed_under_iran_which_it_reports_on_not_under_its_host():
    assert country_of("Iran RPO Dubai") == ("IR", "Iran")
    assert country_of("Consulate Dubai") == ("AE", COUNTRY_TAGS["AE"])
