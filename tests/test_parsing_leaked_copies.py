"""Pages that hold a cut-short copy of a cable's fields, then a leaked database row, then
the whole cable: the whole copy's fields are read (cables/parsing/reader.py)."""

from cables.parsing import parse_cable

CUT_SHORT = """\
VZCZCXYZ0000
PP RUEHWEB

DE RUEHPE #2026/01 1621519
ZNR UUUUU ZZH
P 111519Z JUN 07
FM AMEMBASSY LIMA
TO RUEHC/SECSTATE WASHDC PRIORITY 5783

UNCLAS LIMA 002026

SIPDIS

E.O. 12958: N/A
TAGS: PREL, PGOV, PE
SUBJECT: DECENTRALIZATION: GOVERNMENT AMBIVALENCE AND
REGIONAL (IN)CAPACITY

REF: A. 06 LIMA 4519
     B. LIMA 309
     C. LIMA ...

id: 111659
date: 6/11/2007 15:19
refid: 07LIMA2026
header:
VZCZCXYZ0000

----------------- header ends ----------------

{whole}
"""

WHOLE = """\
UNCLAS LIMA 002026

SIPDIS

E.O. 12958: N/A
TAGS: PREL, PGOV, PE
SUBJECT: DECENTRALIZATION: GOVERNMENT AMBIVALENCE AND
REGIONAL (IN)CAPACITY

REF: A. 06 LIMA 4519
     B. LIMA 309
     C. LIMA 1804
     D. LIMA 1940

1. (SBU) Summary: the regions are slow to take on what Lima hands them.

2. (SBU) The second paragraph.
"""

ANOTHER_CABLE = """\
,C O N F I D E N T I A L MONTEVIDEO 000404

SIPDIS

E.O. 12958: DECL: 07/15/2018
TAGS: PGOV, UY
SUBJECT: VERY LITTLE ANTI-SEMITISM IN URUGUAY
REF: MONTEVIDEO 321

1. (U) Special Envoy Gregg Rickman visited Uruguay.
"""


def test_the_whole_copy_of_a_cut_short_ref_list_is_read():
    cable = parse_cable(CUT_SHORT.format(whole=WHOLE))
    assert cable.reference_id == "07LIMA2026"
    assert cable.references == ["06LIMA4519", "07LIMA309", "07LIMA1804", "07LIMA1940"]
    assert cable.subject == "DECENTRALIZATION: GOVERNMENT AMBIVALENCE AND REGIONAL (IN)CAPACITY"


def test_the_leaked_row_and_header_are_no_paragraphs_of_the_cable():
    cable = parse_cable(CUT_SHORT.format(whole=WHOLE))
    assert [paragraph.anchor for paragraph in cable.paragraphs] == ["p1", "p2"]


def test_a_copy_of_another_cable_after_the_leaked_row_is_not_taken_for_this_one():
    cable = parse_cable(CUT_SHORT.format(whole=ANOTHER_CABLE))
    assert cable.reference_id == "07LIMA2026"
    assert cable.subject == "DECENTRALIZATION: GOVERNMENT AMBIVALENCE AND REGIONAL (IN)CAPACITY"
    assert cable.tags == ["PREL", "PGOV", "PE"]
