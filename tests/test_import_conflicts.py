"""What an import does when two of its texts give one reference id, and how a release's
garbled id and the text's own id both find the cable."""

import csv
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from cables.models import Cable, CableAlias, ImportRecord
from cables.parsing import read_path
from cables.writing.importing import import_items

from .conftest import import_paths

pytestmark = pytest.mark.django_db


def state_cable(
    dtg: str = "R 281530Z JAN 88", paragraph: str = "Please deliver the demarche."
) -> str:
    return (
        f"{dtg}\nFM SECSTATE WASHDC\nTO AMEMBASSY BAGHDAD IMMEDIATE 0412\nBT\n"
        "CONFIDENTIAL STATE 068250\n\nE.O. 12356: DECL: OADR\nTAGS: PREL, IZ\n"
        f"SUBJECT: DEMARCHE ON THE GULF\n\n1. (C) {paragraph}\n"
    )


def other_cable(serial: int) -> str:
    return (
        "R 021200Z FEB 88\nFM AMEMBASSY CAIRO\nTO SECSTATE WASHDC 0001\nBT\n"
        f"UNCLAS CAIRO {serial:06d}\n\nE.O. 12356: N/A\nTAGS: PREL, EG\n"
        "SUBJECT: A VISIT\n\n1. The visit went well.\n"
    )


def write(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_named_for_one_cable_holding_anothers_text_is_reported_naming_both(tmp_path):
    proper = write(tmp_path, "88STATE68250.txt", state_cable())
    misfiled = write(tmp_path, "88BAGHDAD28.txt", state_cable(paragraph="Text as the page had it."))
    bystander = write(tmp_path, "88CAIRO1.txt", other_cable(1))
    report = import_paths(proper, misfiled, bystander)
    assert (report.created, report.updated, report.failed) == (2, 0, 1)
    (failure,) = report.failures
    assert failure.source == str(misfiled) and failure.reference_id == "88STATE68250"
    assert str(proper) in failure.reason and "named 88BAGHDAD28" in failure.reason
    # The first text stays whole; nothing of the second was written.
    assert "Please deliver the demarche." in Cable.objects.get(reference_id="88STATE68250").raw_text
    assert not CableAlias.objects.exists()
    assert Cable.objects.filter(reference_id="88CAIRO1").exists()


def test_the_same_text_under_another_cables_name_is_reported_too(tmp_path):
    proper = write(tmp_path, "88STATE68250.txt", state_cable())
    misfiled = write(tmp_path, "88BAGHDAD28.txt", state_cable())
    report = import_paths(proper, misfiled)
    (failure,) = report.failures
    assert "the same text as" in failure.reason and "named 88BAGHDAD28" in failure.reason


def test_two_texts_of_one_id_with_different_date_time_groups_are_not_merged(tmp_path):
    first = write(tmp_path, "first.txt", state_cable())
    second = write(tmp_path, "second.txt", state_cable(dtg="R 041200Z FEB 88"))
    report = import_paths(first, second)
    (failure,) = report.failures
    assert failure.source == str(second) and str(first) in failure.reason
    assert "date-time groups differ (281530Z Jan 1988, 041200Z Feb 1988)" in failure.reason
    assert Cable.objects.get().raw_text == state_cable()


def test_a_dry_run_reports_the_conflict_it_would_meet(tmp_path):
    proper = write(tmp_path, "88STATE68250.txt", state_cable())
    misfiled = write(tmp_path, "88BAGHDAD28.txt", state_cable(paragraph="Another text."))
    items = [item for path in (proper, misfiled) for item in read_path(path)]
    report = import_items(items, dry_run=True)
    assert (report.created, report.failed) == (1, 1)
    assert report.failures[0].source == str(misfiled)
    assert not Cable.objects.exists()


def test_import_cables_names_both_files_and_the_id_of_a_conflict(tmp_path):
    write(tmp_path, "88STATE68250.txt", state_cable())
    write(tmp_path, "88BAGHDAD28.txt", state_cable(paragraph="Another text."))
    out, err = StringIO(), StringIO()
    call_command("import_cables", str(tmp_path), "--no-progress", stdout=out, stderr=err)
    (line,) = [line for line in err.getvalue().splitlines() if line.startswith("failed:")]
    # The folder is read in name order: the first file stays, the second is named failed.
    assert "88STATE68250.txt [88STATE68250]: its text gives 88STATE68250" in line
    assert "88BAGHDAD28.txt is named 88BAGHDAD28" in line
    assert out.getvalue().strip().endswith("created 1, updated 0, unchanged 0, failed 1")


def test_the_admins_dry_run_shows_the_conflict_on_the_upload_record(
    admin_client, settings, tmp_path
):
    settings.UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    settings.UPLOAD_IN_BACKGROUND = False
    files = [
        SimpleUploadedFile("88STATE68250.txt", state_cable().encode()),
        SimpleUploadedFile("88BAGHDAD28.txt", state_cable(paragraph="Another text.").encode()),
    ]
    page = admin_client.post("/admin/cables/cable/upload/", {"files": files}, follow=True)
    record = ImportRecord.objects.get()
    (failure,) = record.outcomes.filter(status="failed")
    assert failure.source == "88BAGHDAD28.txt" and failure.reference_id == "88STATE68250"
    assert "different text from 88STATE68250.txt" in failure.reason
    assert "named 88BAGHDAD28" in page.content.decode()


def release_csv(folder, reference_id: str, text: str):
    """One row of the release's cables.csv: its own id beside the text."""
    header, _, content = text.partition("BT\n")
    path = folder / "cables.csv"
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, escapechar="\\", doublequote=False, quoting=csv.QUOTE_ALL)
        writer.writerow(
            [
                "150000",
                "5/14/2008 12:00",
                reference_id,
                "Consulate Sao Paulo",
                "UNCLASSIFIED",
                "",
                header,
                content,
            ]
        )
    return path


def test_a_release_id_garbled_from_a_damaged_section_stays_canonical_and_the_texts_id_finds_it(
    tmp_path, client
):
    text = (
        "R 141200Z MAY 08\nFM AMCONSUL SAO PAULO\nTO SECSTATE WASHDC 8000\nBT\n"
        "UNCLAS SCTION 02 OF 02 SAO PAULO 000335\n\nE.O. 12958: N/A\nTAGS: ECON, BR\n"
        "SUBJECT: ETHANOL EXPORTS\n\n5. (U) The second part of the cable.\n"
    )
    report = import_paths(release_csv(tmp_path, "08SCTION02OF02SAOPAULO335", text))
    assert report.created == 1, report.failures
    cable = Cable.objects.get()
    assert cable.reference_id == "08SCTION02OF02SAOPAULO335"
    assert cable.disagreements["reference_id"] == {
        "release": "08SCTION02OF02SAOPAULO335",
        "text": "08SAOPAULO335",
    }
    assert list(cable.aliases.values_list("alias", flat=True)) == ["08SAOPAULO335"]
    response = client.get("/cables/08SAOPAULO335/")
    assert response.status_code == 301
    assert response["Location"] == "/cables/08SCTION02OF02SAOPAULO335/"
