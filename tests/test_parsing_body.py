"""Who signed a cable, and its summary, as the end and the opening of its text show them."""

from cables.parsing import parse_cable

HEADER = """C O N F I D E N T I A L SECTION 01 OF 02 MANAMA 000165

SIPDIS

E.O. 12958: DECL: 02/12/2018
TAGS: PREL, PGOV, BA
SUBJECT: THE CROWN PRINCE ON REGIONAL SECURITY

Classified By: Ambassador Adam Ereli for reasons 1.4 (b) and (d).

"""


def parse(body: str):
    return parse_cable(HEADER + body)


def test_a_surname_in_capitals_ending_the_last_paragraph_is_the_signer():
    cable = parse(
        "1. (C) The Crown Prince asked for a reply.\n\n"
        "2. (C) If the visit is agreed, the Embassy should so inform the Department. ERELI"
    )
    assert cable.signer == "ERELI"
    assert cable.paragraphs[-1].text.endswith("should so inform the Department.")


def test_the_signer_stands_before_the_end_of_transmission_and_the_sites_end_marks():
    cable = parse("1. (C) The Crown Prince asked for a reply.\n\nRice\n\n\nNNNN\nEnd Cable Text\n")
    assert cable.signer == "Rice"
    cable = parse(
        "1. (C) The Crown Prince asked for a reply.\nWOOD\n" + "=" * 20 + "CABLE ENDS" + "=" * 20
    )
    assert cable.signer == "WOOD"


def test_a_signer_after_a_row_of_asterisks_is_read():
    cable = parse(
        "1. (C) The Crown Prince asked for a reply.\nXXXXXXXXXX****************** ******** ERELI"
    )
    assert cable.signer == "ERELI"


def test_the_signer_is_read_above_the_posts_website_notice():
    cable = parse(
        "1. (C) The relationship has begun to sour.\n\nJEFFREY\n\n"
        '"Visit Ankara\'s Classified Web Site at http://www.intelink.s\ngov.gov/wiki/Portal:Turkey"'
    )
    assert cable.signer == "JEFFREY"


def test_a_name_with_a_particle_in_lower_case_is_a_signer():
    assert parse("1. (C) We welcome burden sharing.\n\nvan Voorst").signer == "van Voorst"


def test_the_date_the_release_appended_to_the_signer_is_dropped():
    cable = parse("1. (C) The diplomatic note follows. End text.\nSTEVENS 0 02/14/2008")
    assert cable.signer == "STEVENS"


def test_an_end_mark_before_the_surname_is_not_part_of_the_signer():
    cable = parse("1. (C) The Department thanks posts for their help.\n\nEND TALKING POINTS. RICE")
    assert cable.signer == "RICE"


def test_the_rest_of_a_heading_cut_by_the_release_is_no_signer():
    cable = parse(
        "1. (C) Post would appreciate guidance from WHA. END COMMENT\nAND GUIDANCE REQUES"
    )
    assert cable.signer == ""


def test_the_last_word_of_a_sentence_wrapped_onto_its_own_line_is_no_signer():
    cable = parse("10. (U) This cable has been cleared by S/WCI Prosper and EUR\nStephens.")
    assert cable.signer == ""
    assert cable.paragraphs[-1].text.endswith("Prosper and EUR Stephens.")


def test_a_single_letter_on_the_last_line_is_no_signer():
    assert parse("6. (C) Embassy contacts remain open to approaches.\n\nK").signer == ""


def test_a_summary_under_a_summary_heading_ends_at_end_summary():
    cable = parse(
        "SUMMARY\n-------\n\n"
        "1. (C) Speaker Berri was conciliatory. He promised to help. End summary.\n\n"
        "THE BORN-AGAIN REFORMER\n\n2. (C) Berri said that he wanted to put politics aside."
    )
    assert cable.summary == "Speaker Berri was conciliatory. He promised to help."


def test_a_summary_and_action_request_label_opens_the_summary():
    cable = parse(
        "1. (C) Summary and Action Request. With the visit approaching, post requests talking "
        "points. End Summary and Action Request.\n\n2. (C) The visit is set for November 23."
    )
    assert cable.summary == "With the visit approaching, post requests talking points."


def test_the_marking_after_the_summary_label_is_dropped():
    cable = parse(
        "1. Summary: (SBU) Japanese officials expressed unanimous support for the proposal. "
        "End Summary.\n\n2. (SBU) Officials met on June 5."
    )
    assert cable.summary == "Japanese officials expressed unanimous support for the proposal."


def test_a_summary_may_follow_an_action_line_in_the_first_paragraph():
    cable = parse(
        "1. (U) This is an action request. See paragraph 6.\n\n"
        "2. (C) SUMMARY: Ref points were delivered on 14 August. End summary.\n\n"
        "3. (C) The Ministry had no comment."
    )
    assert cable.summary == "Ref points were delivered on 14 August."


def test_a_summary_spans_the_paragraphs_up_to_end_summary():
    cable = parse(
        "SUMMARY AND TABLE OF CONTENTS\n\n1. (S/NF) This telegram replaces Ref A.\n\n"
        "2. (S/NF) Posts should retain it.\n\nEND SUMMARY.\n\n3. (S/NF) Storage of this telegram."
    )
    assert cable.summary == "This telegram replaces Ref A.\n\nPosts should retain it."


def test_a_paragraph_headed_summary_that_is_never_ended_is_the_summary():
    cable = parse(
        "1. (C) Summary: King Hamad said PM Maliki was welcome to visit Bahrain.\n\n"
        "2. (C) The King received the delegation on May 4."
    )
    assert cable.summary == "King Hamad said PM Maliki was welcome to visit Bahrain."


def test_a_heading_run_into_a_never_ended_summary_is_left_out():
    cable = parse(
        "SUMMARY\n\n1. (SBU) AMLO named his Finance Secretary.\nRAMIREZ DE LA O FOR FINANCE?\n\n"
        "2. (SBU) In a January 30 interview, AMLO said more."
    )
    assert cable.summary == "AMLO named his Finance Secretary."


def test_end_summary_closing_the_first_paragraph_without_a_label_ends_its_summary():
    cable = parse(
        "1. (C) Along with the growing strength of the party, religion matters. END SUMMARY\n\n"
        "2. (C) In a meeting with poloff on October 31, the deputy spoke."
    )
    assert cable.summary == "Along with the growing strength of the party, religion matters."


def test_a_copy_of_the_summary_the_release_cut_short_is_not_the_summary():
    cable = parse(
        "1. (SBU) Summary: Ukrainian media is split on its covera...\n\n"
        "2. (SBU) Summary: Ukrainian media is split on its coverage of the conflict. End summary."
    )
    assert cable.summary == "Ukrainian media is split on its coverage of the conflict."


def test_the_first_word_of_the_last_paragraph_after_its_marking_is_no_signer():
    cable = parse("1. (C) The Crown Prince asked for a reply.\n\n2. (C) Details.")
    assert cable.signer == ""
    assert cable.paragraphs[-1].text == "Details."


def test_a_one_word_sentence_closing_the_text_is_no_signer():
    cable = parse("1. (C) Summary: the visit went well. End Summary. Other.")
    assert cable.signer == ""
    assert cable.paragraphs[-1].text.endswith("End Summary. Other.")


def test_a_common_word_after_the_last_sentence_is_no_signer():
    assert parse("1. (C) Post will report further. Cheers").signer == ""
    assert parse("1. (C) The Crown Prince asked for a reply. WHY").signer == ""


def test_a_place_after_the_last_sentence_is_no_signer():
    cable = parse("1. (C) The minister asked about the report. Bahrain")
    assert cable.signer == ""
    assert cable.paragraphs[-1].text.endswith("about the report. Bahrain")


def test_an_acronym_after_the_last_sentence_is_no_signer():
    assert parse("1. (C) They raised it with the USG. IAEA").signer == ""
    assert parse("1. (C) They raised it with the Embassy. NSC").signer == ""


def test_a_place_on_a_line_of_its_own_is_no_signer():
    assert parse("1. (C) The Crown Prince asked for a reply.\n\nBahrain").signer == ""


def test_a_surname_in_capitals_after_the_last_sentence_may_follow_initials():
    cable = parse("1. (C) The Embassy should so inform the Department. A. ERELI")
    assert cable.signer == "A. ERELI"
    assert cable.paragraphs[-1].text.endswith("inform the Department.")
