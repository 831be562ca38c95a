"""The SUBJECT line: its own marking, and where it ends."""

from pathlib import Path

from cables.parsing import ParseError, parse_cable, read_path
from cables.parsing.fields import SUBJECT_MARKING


def cable_with(
    level: str, fields: str, body: str = "1. (C) SUMMARY: THE MINISTER AGREED."
) -> object:
    text = (
        "R 151240Z JUL 08\nFM AMEMBASSY LONDON\nTO SECSTATE WASHDC 1234\n\n"
        f"{level} LONDON 001991\n\nSIPDIS\n\nE.O. 12958: DECL: 07/15/2018\n"
        f"TAGS: PGOV, PREL, UK\n{fields}\n\n{body}\n"
    )
    return parse_cable(text)


def test_a_marking_at_the_start_of_the_subject_is_kept_apart():
    cable = cable_with("C O N F I D E N T I A L", "SUBJECT: (C/NF) WHO WOULD REPLACE BROWN")
    assert cable.subject_marking == "C/NF"
    assert cable.subject == "WHO WOULD REPLACE BROWN"
    # The subject's NOFORN marking still makes the cable NOFORN.
    assert cable.classification == "CONFIDENTIAL//NOFORN"


def test_subject_markings_are_normalised_as_paragraph_markings_are():
    cable = cable_with("S E C R E T", "SUBJECT: (s) germany requests information")
    assert (cable.subject_marking, cable.subject) == ("S", "germany requests information")
    cable = cable_with("UNCLAS", "SUBJECT: (SBU) VISA FRAUD IN LONDON")
    assert (cable.subject_marking, cable.subject) == ("SBU", "VISA FRAUD IN LONDON")
    cable = cable_with("S E C R E T", "SUBJECT: (S / NF) A VISIT")
    assert cable.subject_marking == "S/NF"
    # Words in parentheses that are no marking stay in the subject.
    cable = cable_with("UNCLAS", "SUBJECT: (CORRECTED COPY) SWISS FOREIGN MINISTER")
    assert cable.subject_marking == ""
    assert cable.subject == "(CORRECTED COPY) SWISS FOREIGN MINISTER"
    assert not SUBJECT_MARKING.match("(C-AL9-02352) GENERAL")


def test_a_subject_running_into_refs_gives_the_refs_their_own_lines():
    cable = cable_with(
        "UNCLAS",
        "SUBJECT: BRAZIL - NEXT STEPS FOR VARIG UNCLEAR REFS: (A) BRASILIA 1608, (B) BRASILIA 1631",
    )
    assert cable.subject == "BRAZIL - NEXT STEPS FOR VARIG UNCLEAR"
    assert cable.reference_lines == "(A) BRASILIA 1608, (B) BRASILIA 1631"


def test_a_subject_ends_where_a_handling_line_runs_into_it():
    cable = cable_with(
        "UNCLAS",
        "SUBJECT:EGYPT'S 55th BIRD FLU VICTIM, ANOTHER CHILD Sensitive but Unclassified. "
        "Please handle accordingly. (SBU) On February 8, 2009, the Ministry announced",
    )
    assert cable.subject == "EGYPT'S 55th BIRD FLU VICTIM, ANOTHER CHILD"


def test_a_subject_ends_at_a_rule_of_dashes():
    cable = cable_with(
        "UNCLAS",
        "SUBJECT:  More than Malbec:  Ambassador Talks Development in Mendoza Summary \n"
        "-------- 1.  Ambassador visited the Binational Center in Mendoza",
    )
    assert cable.subject == "More than Malbec: Ambassador Talks Development in Mendoza"


def test_a_page_header_run_into_the_subject_is_left_out():
    cable = cable_with(
        "C O N F I D E N T I A L",
        "SUBJECT: PUTIN VISIT EXPECTED BY END OF APRIL LONDON 00001991 001.2 OF 002 "
        "CLASSIFIED BY: Chris Stevens, CDA. REASON: 1.4 (b), (d)",
    )
    assert cable.subject == "PUTIN VISIT EXPECTED BY END OF APRIL"
    assert cable.classified_by == "Chris Stevens, CDA. REASON: 1.4 (b), (d)"


def test_a_subject_keyword_that_lost_its_s_is_still_the_subject():
    cable = cable_with("UNCLAS", "UBJECT: BAHRAIN WILL FORMALLY REQUEST QATAR TO ACT")
    assert cable.subject == "BAHRAIN WILL FORMALLY REQUEST QATAR TO ACT"


def test_a_subject_on_the_tags_line_is_read_in_any_case():
    text = (
        "R 151240Z JUL 08\nFM AMEMBASSY LONDON\nTO SECSTATE WASHDC 1234\n\n"
        "UNCLAS LONDON 001991\n\nE.O. 12958: N/A\n"
        "TAGS: PREL, PGOV Subject: Brown and the unions\n\n"
        "1. (U) The Prime Minister met the unions.\n"
    )
    cable = parse_cable(text)
    assert cable.tags == ["PREL", "PGOV"]
    assert cable.subject == "Brown and the unions"


def test_a_ref_line_holding_classified_by_gives_both_values():
    cable = cable_with(
        "C O N F I D E N T I A L",
        "SUBJECT: START FOLLOW-ON TALKS\nREF: 10 GENEVA 231 (SFO-GVA-VIII-004) CLASSIFIED BY: "
        "Rose E. Gottemoeller, Assistant Secretary, Department of State, VCI; REASON: 1.4(B), (D)",
    )
    assert cable.reference_lines == "10 GENEVA 231 (SFO-GVA-VIII-004)"
    assert cable.classified_by == (
        "Rose E. Gottemoeller, Assistant Secretary, Department of State, VCI; REASON: 1.4(B), (D)"
    )


def test_the_first_paragraph_run_into_classified_by_is_not_part_of_it():
    cable = cable_with(
        "C O N F I D E N T I A L",
        "SUBJECT: JOURNALIST JAILED  CLASSIFIED BY: Chris Stevens, CDA. REASON: 1.4 (b), (d) "
        "1. (C) Summary:  A respected Libyan journalist was jailed.",
    )
    assert cable.subject == "JOURNALIST JAILED"
    assert cable.classified_by == "Chris Stevens, CDA. REASON: 1.4 (b), (d)"


def test_no_corpus_subject_starts_with_a_marking(corpus: Path):
    marked = []
    for path in sorted(corpus.glob("cablegate-*/**/*.html")):
        for item in read_path(path):
            if isinstance(item, ParseError):
                continue
            subject = parse_cable(item.text).subject
            if SUBJECT_MARKING.match(subject):
                marked.append((path.stem, subject[:40]))
    assert marked == []


def test_the_cable_page_and_its_json_show_the_subjects_marking(client, db, tmp_path):
    from cables.parsing.readers import SourceText
    from cables.writing.importing import import_items

    text = (
        "R 151240Z JUL 08\nFM AMEMBASSY LONDON\nTO SECSTATE WASHDC 1234\n\n"
        "C O N F I D E N T I A L LONDON 001991\n\nE.O. 12958: DECL: 07/15/2018\n"
        "TAGS: PGOV, PREL, UK\nSUBJECT: (C/NF) WHO WOULD REPLACE BROWN\n\n"
        "1. (C/NF) Summary. Brown lurches from disaster to disaster.\n"
    )
    report = import_items([SourceText(name="london.txt", text=text, format="txt")])
    assert report.created == 1, report.failures
    page = client.get("/cables/08LONDON1991/").content.decode()
    assert 'title="Classification marking of the subject">(C/NF)</span> WHO WOULD' in page
    paragraph = client.get("/cables/08LONDON1991/p1/").content.decode()
    assert "(C/NF)</span> WHO WOULD REPLACE BROWN" in paragraph
    exported = client.get("/cables/08LONDON1991.json").json()
    assert exported["subject_marking"] == "C/NF"
    assert exported["subject"] == "WHO WOULD REPLACE BROWN"


def test_a_line_of_the_subject_set_apart_by_blank_lines_is_still_the_subject():
    text = """\
P 051234Z SEP 07
FM AMEMBASSY BUENOS AIRES
TO SECSTATE WASHDC PRIORITY

CONFIDENTIAL BUENOS AIRES 001776

SIPDIS

E.O. 12958: DECL: 09/05/2017

TAGS: ECON, EINV, AR

SUBJECT: ARGENTINE-URUGUAYAN PULP MILL DISPUTE: FINNISH

EMBASSY OFFICIAL DISCOUNTS POSSIBILITY OF SERIOUS VIOLENCE

REF: BUENOS AIRES 01707

Classified By: Ambassador E. Anthony Wayne for reasons 1.4 (b) and (d)

1. (C) Summary: the text.
"""
    cable = parse_cable(text)
    assert cable.subject == (
        "ARGENTINE-URUGUAYAN PULP MILL DISPUTE: FINNISH "
        "EMBASSY OFFICIAL DISCOUNTS POSSIBILITY OF SERIOUS VIOLENCE"
    )
    assert cable.references == ["07BUENOSAIRES1707"]
    assert cable.paragraphs[0].text == "Summary: the text."


SUBJECT_HEAD = """\
P 051234Z SEP 07
FM AMEMBASSY ROME
TO SECSTATE WASHDC PRIORITY

CONFIDENTIAL ROME 001776

E.O. 12958: DECL: 09/05/2017
TAGS: ETRD, ETTC, IT
{subject}

1. (C) Summary: the text.
"""


def test_a_subject_about_handling_or_a_secret_section_keeps_those_words():
    for subject in (
        "HANDLING SENSITIVE BUT UNCLASSIFIED INFORMATION AT POST",
        "ITALY: SECRET SECTION 1 OF 2 FOUND IN ARCHIVE",
    ):
        assert parse_cable(SUBJECT_HEAD.format(subject=f"SUBJECT: {subject}")).subject == subject


def test_an_executive_order_other_than_the_classifying_one_is_part_of_the_subject():
    for line, subject in (
        (
            "SUBJECT: TERRORIST FINANCE: E.O. 13224 DESIGNATIONS OF TWO CHARITIES",
            "TERRORIST FINANCE: E.O. 13224 DESIGNATIONS OF TWO CHARITIES",
        ),
        (
            "SUBJECT: DESIGNATIONS UNDER\nEO 13224 OF TWO CHARITIES",
            "DESIGNATIONS UNDER EO 13224 OF TWO CHARITIES",
        ),
    ):
        cable = parse_cable(SUBJECT_HEAD.format(subject=line))
        assert (cable.subject, cable.declassify_on) == (subject, "09/05/2017")


def test_a_word_ending_in_refs_is_no_ref_line():
    cable = parse_cable(SUBJECT_HEAD.format(subject="SUBJECT: ITALY: TRADE PREFS: NEXT STEPS"))
    assert cable.subject == "ITALY: TRADE PREFS: NEXT STEPS"
    assert cable.reference_lines == ""
