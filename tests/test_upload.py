"""Uploading cables in the admin: dry run, confirm, result, import record, and bad input."""

import io
import threading
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cables.models import Cable, ImportRecord, Paragraph
from cables.parsing import SourceText
from cables.writing.importing import import_items

from .conftest import SEED

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/cables/cable/upload/"


@pytest.fixture(autouse=True)
def upload_settings(settings, tmp_path):
    """Uploads wait in this test's own folder and run inside the request."""
    settings.UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    settings.UPLOAD_IN_BACKGROUND = False
    return settings


@pytest.fixture
def keeper(django_user_model):
    return django_user_model.objects.create_superuser("keeper", "k@example.org", "a-long-password")


@pytest.fixture
def staff_client(client, keeper):
    client.force_login(keeper)
    return client


def seed_text(serial: int = 2160) -> str:
    """The seed cable, as cable 08MEXICO<serial> (serials above 100: the parser reads
    small ones as the page numbers of the cable's page-break lines)."""
    return SEED.read_text(encoding="utf-8").replace("MEXICO 002160", f"MEXICO {serial:06d}")


def txt(name: str, text: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8") if isinstance(text, str) else text)


def zip_bytes(members: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(client, *files, import_now=False, follow=True):
    data = {"files": list(files)}
    if import_now:
        data["import_now"] = "on"
    return client.post(UPLOAD_URL, data, follow=follow)


def latest_record() -> ImportRecord:
    return ImportRecord.objects.latest("id")


def outcomes(record) -> list[tuple[str, str, str]]:
    return list(record.outcomes.values_list("source", "reference_id", "status"))


def failures(record) -> dict[str, str]:
    return dict(record.outcomes.filter(status="failed").values_list("source", "reason"))


def confirm(client, record, follow=True):
    return client.post(f"/admin/cables/importrecord/{record.pk}/confirm/", follow=follow)


# --- the whole flow ------------------------------------------------------------------


def test_cable_list_links_to_the_upload_page(staff_client):
    page = staff_client.get("/admin/cables/cable/").content.decode()
    assert f'href="{UPLOAD_URL}"' in page and "Upload cables" in page
    response = staff_client.get(UPLOAD_URL)
    assert response.status_code == 200
    assert 'type="file" name="files"' in response.content.decode()
    assert "500.0\xa0MB" in response.content.decode()


def test_dry_run_then_confirm_imports_every_cable_and_keeps_the_record(
    staff_client, keeper, corpus, tmp_path
):
    pages = {
        "08BRASILIA236": corpus / "cablegate-2011-04/2008/02/08BRASILIA236.html",
        "09BRASILIA1300": corpus / "cablegate-2011-04/2009/11/09BRASILIA1300.html",
        "06SANJOSE58": corpus / "cablegate-2011-04/2006/01/06SANJOSE58.html",
    }
    archive = zip_bytes(
        {
            "brazil/08BRASILIA236.html": pages["08BRASILIA236"].read_bytes(),
            "brazil/2009/09BRASILIA1300.html": pages["09BRASILIA1300"].read_bytes(),
        }
    )
    csv = (corpus / "cables-csv" / "cables_sample.csv").read_bytes()
    response = upload(
        staff_client,
        txt("cables.zip", archive),
        txt("06SANJOSE58.html", pages["06SANJOSE58"].read_bytes()),
        txt("cables.csv", csv),
    )

    # The dry run: a report of what would happen, and nothing written.
    assert response.status_code == 200
    page = response.content.decode()
    record = latest_record()
    assert response.redirect_chain == [(f"/admin/cables/importrecord/{record.pk}/change/", 302)]
    assert "Dry run of upload" in page and "Nothing has been written yet" in page
    assert Cable.objects.count() == 0
    assert record.status == "checked" and record.dry_run
    assert (record.created, record.updated, record.unchanged, record.failed) == (5, 0, 0, 0)
    assert "cables.zip:brazil/2009/09BRASILIA1300.html" in page
    assert page.count("<td>new</td>") == 5
    assert "new 2" in page  # cables.zip's line in the table of files
    assert sorted(path.name for path in Path(record.temp_dir).iterdir()) == [
        "0.upload",
        "1.upload",
        "2.upload",
    ]

    # Confirmed: imported, and the same page now reports what was done.
    response = confirm(staff_client, record)
    assert response.status_code == 200
    page = response.content.decode()
    record.refresh_from_db()
    assert record.status == "done" and not record.dry_run
    assert (record.created, record.updated, record.unchanged, record.failed) == (5, 0, 0, 0)
    assert "Import of upload" in page and "created 5, updated 0, unchanged 0, failed 0" in page
    stored = set(Cable.objects.values_list("reference_id", flat=True))
    assert stored >= set(pages) and len(stored) == 5
    for reference_id in stored:
        assert f'<a href="/cables/{reference_id}/">{reference_id}</a>' in page
        assert staff_client.get(f"/cables/{reference_id}/").status_code == 200
    assert record.temp_dir == "" and not any((tmp_path / "uploads").iterdir())

    # The record: who, when, which files, every outcome, and the admin log.
    assert record.user == keeper and record.finished_at >= record.created_at
    assert [file["name"] for file in record.files] == [
        "cables.zip",
        "06SANJOSE58.html",
        "cables.csv",
    ]
    assert record.outcomes.filter(status="created").count() == 5
    assert set(record.outcomes.values_list("file", flat=True)) == {
        "cables.zip",
        "06SANJOSE58.html",
        "cables.csv",
    }
    log = LogEntry.objects.filter(object_id=str(record.pk)).order_by("id")
    assert [entry.action_flag for entry in log] == [ADDITION, CHANGE, CHANGE, CHANGE]
    assert "Uploaded cables.zip, 06SANJOSE58.html, cables.csv" in log[0].change_message
    assert "created 5" in log[3].change_message
    listing = staff_client.get("/admin/cables/importrecord/").content.decode()
    assert f"Upload {record.pk} (cables.zip, 06SANJOSE58.html, cables.csv)" in listing


def test_import_records_are_listed_newest_first(staff_client):
    upload(staff_client, txt("first.txt", seed_text(101)), import_now=True)
    upload(staff_client, txt("second.txt", seed_text(102)), import_now=True)
    listing = staff_client.get("/admin/cables/importrecord/").content.decode()
    assert listing.index("(second.txt)") < listing.index("(first.txt)")


def test_import_now_skips_the_dry_run(staff_client):
    response = upload(staff_client, txt("08MEXICO2160.txt", seed_text()), import_now=True)
    record = latest_record()
    assert record.status == "done" and not record.dry_run
    assert Cable.objects.filter(reference_id="08MEXICO2160").exists()
    assert '<a href="/cables/08MEXICO2160/">08MEXICO2160</a>' in response.content.decode()


def test_dry_run_names_the_fields_a_changed_cable_would_change(staff_client):
    import_items(
        [SourceText("a.txt", seed_text(), "txt"), SourceText("b.txt", seed_text(101), "txt")]
    )
    changed = seed_text().replace("Welcome to Mexico City.", "Welcome to Mexico.")
    response = upload(staff_client, txt("changed.txt", changed), txt("same.txt", seed_text(101)))
    page = response.content.decode()
    assert "<td>changed</td>" in page and "changes raw_sha256, paragraphs" in page
    assert "<td>unchanged</td>" in page
    record = latest_record()
    assert (record.created, record.updated, record.unchanged) == (0, 1, 1)
    assert not Cable.objects.filter(raw_text__contains="Welcome to Mexico.").exists()


def test_cancel_discards_the_files_and_imports_nothing(staff_client):
    upload(staff_client, txt("08MEXICO2160.txt", seed_text()))
    record = latest_record()
    folder = Path(record.temp_dir)
    assert folder.is_dir()
    response = staff_client.post(f"/admin/cables/importrecord/{record.pk}/cancel/", follow=True)
    assert "nothing was imported" in response.content.decode()
    record.refresh_from_db()
    assert record.status == "cancelled" and not folder.exists()
    assert Cable.objects.count() == 0
    # Nothing left to confirm.
    response = confirm(staff_client, record)
    assert "not waiting for confirmation" in response.content.decode()
    assert Cable.objects.count() == 0


def test_confirming_twice_imports_once(staff_client):
    upload(staff_client, txt("08MEXICO2160.txt", seed_text()))
    record = latest_record()
    confirm(staff_client, record)
    response = confirm(staff_client, record)
    assert "not waiting for confirmation" in response.content.decode()
    record.refresh_from_db()
    assert (record.created, record.unchanged) == (1, 0)


def test_failed_cables_download_as_a_text_report(staff_client):
    upload(
        staff_client,
        txt("empty.txt", b""),
        txt("notes.txt", "Remember to buy milk."),
        txt("08MEXICO2160.txt", seed_text()),
        import_now=True,
    )
    record = latest_record()
    response = staff_client.get(f"/admin/cables/importrecord/{record.pk}/failures.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert "created 1, updated 0, unchanged 0, failed 2" in lines[1]
    assert lines[3:] == [
        "empty.txt: empty file",
        "notes.txt: no cable found: no header, classification line, subject or paragraphs",
    ]


# --- bad input: a clear reason, and the other files still import -----------------------


def upload_beside_a_good_file(client, bad, import_now=True) -> ImportRecord:
    """Upload ``bad`` next to a good cable; the good one must always import."""
    upload(client, bad, txt("good.txt", seed_text(777)), import_now=import_now)
    record = latest_record()
    if import_now:
        assert Cable.objects.filter(reference_id="08MEXICO777").exists()
        assert record.outcomes.get(source="good.txt").status == "created"
    return record


TRUNCATED_ZIP = zip_bytes({"a.txt": "x" * 5000})[:-30]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\n ", "empty file"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
        ("page.html", b"<html><body>No cable here</body></html>", "HTML page with no cable"),
        ("truncated.zip", TRUNCATED_ZIP, "not a readable zip"),
        ("empty.zip", b"", "not a readable zip"),
        ("scan.pdf", b"%PDF-1.4", "not a cable file"),
    ],
    ids=["empty", "blank", "binary", "html-without-cable", "truncated-zip", "empty-zip", "pdf"],
)
def test_a_bad_file_is_named_with_its_reason_and_the_good_file_still_imports(
    staff_client, name, content, reason
):
    record = upload_beside_a_good_file(staff_client, txt(name, content))
    assert reason in failures(record)[name]
    assert (record.created, record.failed) == (1, 1)
    page = staff_client.get(f"/admin/cables/importrecord/{record.pk}/change/").content.decode()
    assert name in page and reason in page


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_non_utf8_text_is_decoded_not_rejected(staff_client, encoding):
    accented = "Welcome to México City, “Café” – said the señor."
    if encoding == "latin-1":
        accented = "Welcome to México City, Café, said the señor.\x90"  # \x90: not cp1252
    text = seed_text().replace("Welcome to Mexico City.", accented)
    record = upload_beside_a_good_file(staff_client, txt("08MEXICO2160.txt", text.encode(encoding)))
    assert record.failed == 0
    cable = Cable.objects.get(reference_id="08MEXICO2160")
    assert accented in cable.raw_text
    assert cable.paragraphs.get(anchor="p1").text.startswith(accented)


def test_csv_row_with_the_wrong_number_of_columns_is_named_and_the_other_rows_import(
    staff_client, corpus
):
    rows = (corpus / "cables-csv" / "cables_sample.csv").read_text("utf-8")
    broken = '"99","12/28/1966 18:48","66BROKEN1","only four columns"\n'
    record = upload_beside_a_good_file(staff_client, txt("cables.csv", broken + rows))
    assert failures(record) == {"cables.csv": "line 1: CSV row has 4 columns, expected 8"}
    assert record.outcomes.filter(file="cables.csv", status="created").count() == 2
    assert Cable.objects.filter(reference_id="66BUENOSAIRES2481").exists()


def test_zip_bomb_is_refused_and_other_files_still_import(staff_client):
    bomb = zip_bytes({"bomb.txt": b"A" * 20_000_000, "08MEXICO2160.txt": seed_text()})
    assert len(bomb) < 100_000
    record = upload_beside_a_good_file(staff_client, txt("bomb.zip", bomb))
    assert "refused as a zip bomb" in failures(record)["bomb.zip:bomb.txt"]
    # The honest member of the same zip still imports.
    assert Cable.objects.filter(reference_id="08MEXICO2160").exists()


def test_zip_bomb_with_a_lying_header_is_still_refused(staff_client):
    bomb = bytearray(zip_bytes({"bomb.txt": b"A" * 20_000_000}))
    # Claim, in the central directory, a compressed size far bigger than the zip.
    entry = bomb.index(b"PK\x01\x02")
    bomb[entry + 20 : entry + 24] = (2**31).to_bytes(4, "little")
    record = upload_beside_a_good_file(staff_client, txt("liar.zip", bytes(bomb)))
    # Python's zipfile spots this lie itself; the reader's own cap (the zip's real size
    # times the ratio) would stop it too.
    assert "zip bomb" in failures(record)["liar.zip:bomb.txt"]


def test_zip_over_the_total_uncompressed_cap_stops_and_says_so(staff_client, settings):
    settings.UPLOAD_ZIP_MAX_BYTES = 30_000
    members = {
        f"08MEXICO{serial}.txt": seed_text(serial) for serial in (101, 102, 103, 104, 105, 106)
    }
    record = upload_beside_a_good_file(staff_client, txt("big.zip", zip_bytes(members)))
    (source, reason), *_ = failures(record).items()
    assert "more than 30000 bytes uncompressed in all" in reason
    assert "the ones after it were not read" in reason
    # Members before the cap imported; none after it was read.
    imported = record.outcomes.filter(file="big.zip", status="created").count()
    assert 1 <= imported < 6 and record.outcomes.filter(file="big.zip").count() == imported + 1


def test_zip_with_too_many_members_is_refused_whole(staff_client, settings):
    settings.UPLOAD_ZIP_MAX_MEMBERS = 3
    members = {f"{serial}.txt": seed_text(serial) for serial in (101, 102, 103, 104)}
    record = upload_beside_a_good_file(staff_client, txt("many.zip", zip_bytes(members)))
    assert failures(record) == {"many.zip": "zip has 4 files, more than the 3 allowed: none read"}
    assert Cable.objects.count() == 1


def test_member_names_with_dot_dot_or_absolute_paths_are_only_labels(staff_client, tmp_path):
    members = {
        "../../escaped.txt": seed_text(11),
        "/tmp/absolute.txt": seed_text(12),
        "..\\windows.txt": seed_text(13),
    }
    record = upload_beside_a_good_file(
        staff_client, txt("names.zip", zip_bytes(members)), import_now=False
    )
    assert sorted(path.name for path in Path(record.temp_dir).iterdir()) == ["0.upload", "1.upload"]
    confirm(staff_client, record)
    record.refresh_from_db()
    assert record.created == 4
    assert {source for source, _, _ in outcomes(record)} == {
        "names.zip:../../escaped.txt",
        "names.zip:/tmp/absolute.txt",
        "names.zip:..\\windows.txt",
        "good.txt",
    }
    assert not list(tmp_path.parent.glob("escaped.txt")) and not Path("/tmp/absolute.txt").exists()
    assert not list((tmp_path / "uploads").iterdir())


def test_zip_inside_a_zip_is_read_and_a_zip_inside_that_is_refused(staff_client):
    deepest = zip_bytes({"08MEXICO103.txt": seed_text(103)})
    inner = zip_bytes({"08MEXICO102.txt": seed_text(102), "deeper.zip": deepest})
    outer = zip_bytes({"08MEXICO101.txt": seed_text(101), "inner.zip": inner})
    record = upload_beside_a_good_file(staff_client, txt("outer.zip", outer))
    assert set(Cable.objects.values_list("reference_id", flat=True)) == {
        "08MEXICO777",
        "08MEXICO101",
        "08MEXICO102",
    }
    assert failures(record) == {
        "outer.zip:inner.zip:deeper.zip": "zip nested more than 1 deep: not read"
    }


def test_the_same_reference_id_twice_in_one_upload_is_reported_and_the_later_wins(
    staff_client,
):
    later = seed_text().replace("Welcome to Mexico City.", "Welcome, later copy.")
    upload(staff_client, txt("earlier.txt", seed_text()), txt("later.txt", later))
    record = latest_record()
    note = "repeats earlier.txt in this batch: the later copy wins"
    assert record.outcomes.get(source="later.txt").note == note
    # The dry run compares the later copy with the earlier one, not the empty archive.
    assert outcomes(record) == [
        ("earlier.txt", "08MEXICO2160", "created"),
        ("later.txt", "08MEXICO2160", "updated"),
    ]
    page = confirm(staff_client, record).content.decode()
    assert note in page
    assert "Welcome, later copy." in Cable.objects.get(reference_id="08MEXICO2160").raw_text
    assert Cable.objects.count() == 1


def test_reupload_that_changes_one_cable_updates_only_it_and_keeps_its_permalinks(
    staff_client, client
):
    files = {serial: seed_text(serial) for serial in (101, 102, 103)}
    upload(staff_client, txt("all.zip", zip_bytes({f"{s}.txt": t for s, t in files.items()})))
    confirm(staff_client, latest_record())
    before = {cable.reference_id: cable.updated_at for cable in Cable.objects.all()}
    paragraph_ids = set(
        Paragraph.objects.filter(cable__reference_id="08MEXICO101").values_list("id", flat=True)
    )
    files[102] = files[102].replace("Welcome to Mexico City.", "Welcome to the capital.")
    upload(staff_client, txt("all.zip", zip_bytes({f"{s}.txt": t for s, t in files.items()})))
    record = latest_record()
    assert (record.created, record.updated, record.unchanged) == (0, 1, 2)
    confirm(staff_client, record)
    record.refresh_from_db()
    assert (record.created, record.updated, record.unchanged, record.failed) == (0, 1, 2, 0)
    after = {cable.reference_id: cable.updated_at for cable in Cable.objects.all()}
    assert (
        after["08MEXICO101"] == before["08MEXICO101"]
        and after["08MEXICO103"] == before["08MEXICO103"]
    )
    assert after["08MEXICO102"] > before["08MEXICO102"]
    assert (
        set(
            Paragraph.objects.filter(cable__reference_id="08MEXICO101").values_list("id", flat=True)
        )
        == paragraph_ids
    )
    for anchor in Paragraph.objects.filter(cable__reference_id="08MEXICO102").values_list(
        "anchor", flat=True
    ):
        assert client.get(f"/cables/08MEXICO102/{anchor}/").status_code == 200
    assert "Welcome to the capital." in client.get("/cables/08MEXICO102/p1/").content.decode()


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(staff_client, settings):
    settings.UPLOAD_MAX_BYTES = 10_000
    response = upload(staff_client, txt("08MEXICO2160.txt", seed_text()), follow=False)
    assert response.status_code == 413
    page = response.content.decode()
    assert "more than the 9.8\xa0KB an upload may be (the UPLOAD_MAX_BYTES setting)" in page
    assert "manage.py import_cables" in page
    assert not ImportRecord.objects.exists() and Cable.objects.count() == 0


def test_an_upload_without_files_is_sent_back_to_the_form(staff_client):
    response = staff_client.post(UPLOAD_URL, {})
    assert response.status_code == 400
    assert "Choose one or more files" in response.content.decode()


# --- access --------------------------------------------------------------------------


def test_staff_without_the_add_permission_on_cables_cannot_upload(client, django_user_model):
    clerk = django_user_model.objects.create_user(
        "clerk", password="a-long-password", is_staff=True
    )
    clerk.user_permissions.add(Permission.objects.get(codename="view_cable"))
    client.force_login(clerk)
    assert client.get(UPLOAD_URL).status_code == 403
    assert upload(client, txt("08MEXICO2160.txt", seed_text()), follow=False).status_code == 403
    assert "Upload cables" not in client.get("/admin/cables/cable/").content.decode()
    assert not ImportRecord.objects.exists()


def test_only_uploaders_may_confirm(staff_client, client, django_user_model):
    upload(staff_client, txt("08MEXICO2160.txt", seed_text()))
    record = latest_record()
    viewer = django_user_model.objects.create_user(
        "viewer", password="a-long-password", is_staff=True
    )
    viewer.user_permissions.add(Permission.objects.get(codename="view_importrecord"))
    client.force_login(viewer)
    assert client.get(f"/admin/cables/importrecord/{record.pk}/change/").status_code == 200
    assert confirm(client, record, follow=False).status_code == 403
    assert Cable.objects.count() == 0


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for response in (
        client.get(UPLOAD_URL),
        upload(client, txt("08MEXICO2160.txt", seed_text()), follow=False),
    ):
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not ImportRecord.objects.exists()


def test_changes_need_a_post_with_a_csrf_token(keeper):
    client = Client(enforce_csrf_checks=True)
    client.force_login(keeper)
    assert upload(client, txt("08MEXICO2160.txt", seed_text()), follow=False).status_code == 403
    assert not ImportRecord.objects.exists()
    staff = Client()
    staff.force_login(keeper)
    upload(staff, txt("08MEXICO2160.txt", seed_text()))
    record = latest_record()
    assert confirm(client, record, follow=False).status_code == 403
    assert staff.get(f"/admin/cables/importrecord/{record.pk}/confirm/").status_code == 405
    assert Cable.objects.count() == 0


# --- in the background, as on the server -----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_upload_runs_in_the_background_and_its_page_shows_progress(
    transactional_db, staff_client, upload_settings
):
    # Committed writes: the job's thread has its own connection, and an open test
    # transaction would keep the tables locked against it.
    upload_settings.UPLOAD_IN_BACKGROUND = True
    files = {f"{serial}.txt": seed_text(serial) for serial in range(101, 106)}
    response = upload(
        staff_client, txt("five.zip", zip_bytes(files)), import_now=True, follow=False
    )
    record = latest_record()
    # Wait for the job before reading its page: in-memory SQLite (the test database)
    # locks whole tables between threads instead of waiting as a file database does.
    for thread in threading.enumerate():
        if thread.name == f"cable-upload-{record.pk}":
            thread.join(timeout=60)
    page = staff_client.get(response["Location"]).content.decode()
    assert "Import of upload" in page
    record.refresh_from_db()
    assert record.status == "done" and record.created == 5
    page = staff_client.get(response["Location"]).content.decode()
    assert "data-reload-seconds" not in page and "js/progress" not in page and "created 5" in page


def test_a_running_upload_page_refreshes_itself_and_shows_progress(staff_client):
    record = ImportRecord.objects.create(
        status="importing", dry_run=False, files=[{"name": "a.zip", "size": 1}], expected=10
    )
    record.created = 4
    record.save()
    page = staff_client.get(f"/admin/cables/importrecord/{record.pk}/change/").content.decode()
    # Reloaded by a script (a <meta> refresh would break accessibility), with a link
    # for readers without JavaScript.
    assert '<span data-reload-seconds="3">' in page and "js/progress" in page
    assert '<a href="">Reload now</a>' in page
    assert "4 cables of about 10 so far" in page


def test_an_interrupted_import_says_so_and_can_be_run_again(staff_client):
    upload(staff_client, txt("08MEXICO2160.txt", seed_text()))
    record = latest_record()
    # As if the server restarted in the middle: the job went silent an hour ago.
    ImportRecord.objects.filter(pk=record.pk).update(
        status="importing", dry_run=False, updated_at=timezone.now() - timedelta(hours=1)
    )
    page = staff_client.get(f"/admin/cables/importrecord/{record.pk}/change/").content.decode()
    assert "the server was probably restarted" in page and "Import these files" in page
    assert "data-reload-seconds" not in page and "js/progress" not in page
    confirm(staff_client, record)
    record.refresh_from_db()
    assert record.status == "done" and record.created == 1


def test_a_dry_run_nobody_confirms_is_discarded_after_the_keeping_time(staff_client, settings):
    upload(staff_client, txt("08MEXICO2160.txt", seed_text()))
    old = latest_record()
    folder = Path(old.temp_dir)
    cutoff = timezone.now() - timedelta(hours=settings.UPLOAD_KEEP_HOURS + 1)
    ImportRecord.objects.filter(pk=old.pk).update(updated_at=cutoff)
    upload(staff_client, txt("08MEXICO101.txt", seed_text(101)))
    old.refresh_from_db()
    assert old.status == "cancelled" and "not confirmed within" in old.error
    assert not folder.exists() and old.temp_dir == ""


def test_the_public_site_stays_read_only(client, seed_cable):
    assert client.post("/cables/08MEXICO2160/").status_code == 405
    assert client.post("/cables/").status_code == 405
