"""The TAGS line: where it ends, and what one tag is."""

from pathlib import Path

from cables.parsing import ParseError, parse_cable, read_path
from cables.parsing.tags import MOST_TAGS, looks_like_tag, split_run_together_tag, split_tags

HEADER = """R 211833Z MAR 03
FM AMEMBASSY ROME
TO SECSTATE WASHDC 8868

S E C R E T ROME 003067

SIPDIS

E.O. 12958: DECL: 03/21/2013
"""


def cable_with(tags_lines: str, subject: str = "SUBJECT: ITALY AND THE IRAQ COALITION") -> object:
    text = f"{HEADER}{tags_lines}\n{subject}\n\n1. (S) SUMMARY: ITALY WILL SEND TROOPS.\n"
    return parse_cable(text)


def test_tags_stop_at_a_page_break_header_on_the_same_line():
    value = "PREL, ETRD, ETTC, PARM, IT      SECRET       PAGE 02        ROME  03067  211833Z"
    assert split_tags(value) == ["PREL", "ETRD", "ETTC", "PARM", "IT"]


def test_tags_stop_where_the_body_of_a_run_together_text_begins():
    body = "THE GOVERNMENT OF ARGENTINA AND THE OPPOSITION AGREED ON THE BUDGET. " * 60
    assert split_tags(f"PREL MARR PGOV PHUM AR {body}") == ["PREL", "MARR", "PGOV", "PHUM", "AR"]


def test_code_shaped_first_words_of_the_body_are_not_tags():
    value = "PREL MARR PGOV PHUM AR MFA SAYS THE MINISTER WILL TRAVEL"
    assert split_tags(value) == ["PREL", "MARR", "PGOV", "PHUM", "AR"]


def test_a_paragraph_run_into_the_tags_line_ends_it():
    cable = cable_with("TAGS: PREL PGOV IT 1. (C) SUMMARY: THE PRIME MINISTER AGREED.")
    assert cable.tags == ["PREL", "PGOV", "IT"]


def test_tags_repeated_on_the_unlinked_continuation_line_are_kept_once():
    linked = "TAGS: [PREL](#) [MARR](#) [MOPS](#) [IT](#) [IZ](#) [IZPREL](#)"
    cable = cable_with(f"{linked}\nMARR MOPS IT NATO IZPREL")
    assert cable.tags == ["PREL", "MARR", "MOPS", "IT", "IZ", "NATO"]


def test_multi_word_tags_are_one_tag():
    assert split_tags("ECON, EFIN, IT, IRAQI FREEDOM") == ["ECON", "EFIN", "IT", "IRAQI FREEDOM"]
    assert split_tags("KPAO, PREL, TU, EUN, TIP IN TURKEY") == [
        "KPAO",
        "PREL",
        "TU",
        "EUN",
        "TIP IN TURKEY",
    ]


def test_multi_word_tags_the_site_linked_word_by_word_are_joined_again():
    linked = "[PREL](#) [IT](#) [ITALIAN](#) [POLITICS](#) [IRAQI](#) [FREEDOM](#)"
    assert split_tags(linked) == ["PREL", "IT", "ITALIAN POLITICS", "IRAQI FREEDOM"]


def test_person_tags_in_parentheses_are_one_tag():
    assert split_tags("OVIP (CLINTON, HILLARY) PREL KPAL") == [
        "OVIP",
        "CLINTON, HILLARY",
        "PREL",
        "KPAL",
    ]
    assert split_tags("KDEM, PREL, (STEINBERG, B.), CH") == ["KDEM", "PREL", "STEINBERG, B.", "CH"]


def test_a_person_tag_between_spaced_codes_keeps_its_comma():
    assert split_tags("OVIP CLINTON, HILLARY PREL FR") == ["OVIP", "CLINTON, HILLARY", "PREL", "FR"]
    # Between commas, two unknown codes stay two tags.
    assert split_tags("PREL, KGIC, KRAD, RS") == ["PREL", "KGIC", "KRAD", "RS"]


def test_the_visitor_named_after_ovip_on_a_linked_line_is_one_person_tag():
    linked = "[OVIP](#) [BIDEN](#) [JOSEPH](#) [PREL](#) [UK](#)"
    assert split_tags(linked) == ["OVIP", "BIDEN, JOSEPH", "PREL", "UK"]


def test_looks_like_tag_accepts_codes_people_and_known_word_tags_but_not_english_words():
    assert split_tags("PREL, AU-1, UNGA/C-6, KPKO") == ["PREL", "AU-1", "UNGA/C-6", "KPKO"]
    for tag in ("PREL", "AU-1", "UNGA/C-6", "KGIC", "CLINTON, HILLARY", "STEINBERG, B."):
        assert looks_like_tag(tag), tag
    for tag in ("IRAQI FREEDOM", "TIP IN TURKEY"):
        assert looks_like_tag(tag), tag
    for word in ("THE", "AND", "ARGENTINA", "GOVERNMENT", "(C)", "1.", "211833Z", "PAGE"):
        assert not looks_like_tag(word), word


def test_lower_case_tags_on_the_line_of_the_eo_are_read_with_the_subject():
    text = (
        "R 071200Z JAN 04\nFM AMEMBASSY ANKARA\nTO SECSTATE WASHDC 1234\n\n"
        "C O N F I D E N T I A L ANKARA 000348\n\n"
        "E.o. 12958: decl: 01/07/2014 Tags: prel, pgov, pins, tu "
        "Subject: turkish p.m. Erdogan goes to washington\n\n"
        "1. (C) Summary: Erdogan arrives strong.\n"
    )
    cable = parse_cable(text)
    assert cable.tags == ["PREL", "PGOV", "PINS", "TU"]
    assert cable.subject == "turkish p.m. Erdogan goes to washington"


def test_codes_run_together_with_one_unknown_code_among_them_are_split():
    assert split_tags("KFRDKIRFCVISCMGTKOCIASECPHUMSMIGEG") == [
        "KFRD",
        "KIRF",
        "CVIS",
        "CMGT",
        "KOCI",
        "ASEC",
        "PHUM",
        "SMIG",
        "EG",
    ]


def test_no_corpus_cable_has_too_many_tags_or_a_tag_that_is_not_tag_shaped(corpus: Path):
    problems = []
    for path in sorted(corpus.glob("cablegate-*/**/*.html")):
        for item in read_path(path):
            if isinstance(item, ParseError):
                continue
            tags = parse_cable(item.text).tags
            odd = [tag for tag in tags if not looks_like_tag(tag)]
            if len(tags) > MOST_TAGS or odd:
                problems.append((path.stem, len(tags), odd))
    assert problems == []


def test_a_word_longer_than_a_line_of_run_together_codes_is_not_split():
    word = "PRELPGOVECONEFIN" * 400  # 6,400 letters: more codes than a TAGS line holds
    assert split_run_together_tag(word) == [word]
    assert split_tags(f"PREL PGOV IT {word}") == ["PREL", "PGOV", "IT"]
    under_the_limit = "PRELPGOVECONEFIN" * 11  # 176 letters
    assert split_run_together_tag(under_the_limit) == ["PREL", "PGOV", "ECON", "EFIN"] * 11


def test_a_person_tag_with_a_middle_initial_keeps_it_and_the_tags_after_it():
    assert split_tags("PREL OVIP STEINBERG, JAMES B. CH") == [
        "PREL",
        "OVIP",
        "STEINBERG, JAMES B.",
        "CH",
    ]
    assert split_tags("OVIP BIDEN, JOSEPH R. UK") == ["OVIP", "BIDEN, JOSEPH R.", "UK"]


def test_a_person_tag_with_a_middle_initial_between_commas_is_one_tag():
    assert split_tags("PREL, ECON, SMITH, JOHN Q., IT") == ["PREL", "ECON", "SMITH, JOHN Q.", "IT"]


def test_a_person_tag_with_two_given_names_closed_by_a_comma_is_one_tag():
    assert split_tags("OVIP, SMITH, JOHN PAUL, IT") == ["OVIP", "SMITH, JOHN PAUL", "IT"]


def test_a_surname_too_long_for_a_code_makes_a_person_tag_between_commas():
    assert split_tags("PREL, PGOV, CLINTON, HILLARY, IT") == [
        "PREL",
        "PGOV",
        "CLINTON, HILLARY",
        "IT",
    ]
    # A code-shaped surname and given name between commas stay two codes.
    assert split_tags("PREL, KGIC, KRAD, RS") == ["PREL", "KGIC", "KRAD", "RS"]


def test_the_visitor_named_after_ovip_without_a_comma_on_a_written_line_is_one_person_tag():
    assert split_tags("OVIP RICE CONDOLEEZZA PREL IT") == [
        "OVIP",
        "RICE, CONDOLEEZZA",
        "PREL",
        "IT",
    ]
    # Known codes and English words after OVIP are not a visitor's name.
    assert split_tags("OVIP PREL IT") == ["OVIP", "PREL", "IT"]
    assert split_tags("OVIP THE SECRETARY WILL VISIT") == ["OVIP"]


def test_countries_written_out_between_commas_are_no_person_tag():
    assert split_tags("PREL, PGOV, AFGHANISTAN, PAKISTAN, IN") == ["PREL", "PGOV"]
