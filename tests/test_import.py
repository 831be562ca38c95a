"""The import service and the import_cables command."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cables.models import Cable, CableTag, Paragraph, Sender, Tag
from cables.parsing import SourceText, read_path
from cables.writing.importing import import_items

from .conftest import SEED, import_paths

pytestmark = pytest.mark.django_db


def seed_source(text=None) -> SourceText:
    return SourceText(name="seed.txt", text=text or SEED.read_text(encoding="utf-8"), format="txt")


def test_importing_the_seed_stores_every_value():
    report = import_paths(SEED)
    assert (report.created, report.updated, report.unchanged, report.failed) == (1, 0, 0, 0)
    cable = Cable.objects.get()
    assert cable.reference_id == "08MEXICO2160"
    assert cable.sender.name == "Embassy Mexico" and cable.sender.code == "AMEMBASSY MEXICO"
    assert cable.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert list(cable.cable_tags.order_by("position").values_list("tag__code", flat=True)) == [
        "PREL",
        "PGOV",
        "PHUM",
        "SNAR",
        "KCRM",
        "MX",
    ]
    assert Tag.objects.get(code="PREL").description == "External Political Relations"
    assert Tag.objects.get(code="MX").description == "Mexico"
    assert len(cable.info_recipients) == 6
    assert cable.paragraphs.count() == 10


def test_raw_text_is_stored_exactly_as_imported():
    text = SEED.read_text(encoding="utf-8")
    import_items([seed_source(text)])
    assert Cable.objects.get().raw_text == text


def test_reimporting_unchanged_text_changes_nothing():
    import_paths(SEED)
    before = Cable.objects.values("updated_at", "id").get()
    paragraph_ids = list(Paragraph.objects.values_list("id", flat=True))
    report = import_paths(SEED)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert Cable.objects.values("updated_at", "id").get() == before
    assert list(Paragraph.objects.values_list("id", flat=True)) == paragraph_ids


def test_changed_text_updates_the_cable_in_place_and_keeps_its_anchors():
    import_paths(SEED)
    cable_id = Cable.objects.get().id
    anchors = list(Paragraph.objects.order_by("position").values_list("anchor", flat=True))
    changed = SEED.read_text(encoding="utf-8").replace(
        "Welcome to Mexico City.", "Welcome to Mexico."
    )
    report = import_items([seed_source(changed)], keep_outcomes=True)
    assert (report.created, report.updated) == (0, 1)
    assert report.outcomes[0].changed_fields == ["raw_sha256", "paragraphs"]
    cable = Cable.objects.get()
    assert cable.id == cable_id
    assert list(cable.paragraphs.order_by("position").values_list("anchor", flat=True)) == anchors
    assert cable.paragraphs.get(anchor="p1").text.startswith("Welcome to Mexico. Mexico remains")


def test_text_then_html_rendering_makes_one_cable(seed_html):
    import_paths(SEED)
    report = import_paths(seed_html)
    assert (report.created, report.updated) == (0, 1)
    assert Cable.objects.count() == 1
    assert Sender.objects.count() == 1
    cable = Cable.objects.get()
    assert cable.source_format == "html"
    assert cable.release_metadata["origin"] == "Embassy Mexico"
    assert list(cable.paragraphs.values_list("anchor", flat=True)) == [
        f"p{n}" for n in range(1, 11)
    ]


def test_a_bad_file_is_reported_and_the_rest_still_import(tmp_path):
    (tmp_path / "a_empty.txt").write_text("")
    (tmp_path / "b_notes.txt").write_text("Remember to buy milk.")
    (tmp_path / "c_08MEXICO2160.txt").write_text(SEED.read_text(encoding="utf-8"))
    report = import_paths(tmp_path)
    assert report.created == 1
    assert [(failure.source.rsplit("/", 1)[-1], failure.reason) for failure in report.failures] == [
        ("a_empty.txt", "empty file"),
        ("b_notes.txt", "no cable found: no header, classification line, subject or paragraphs"),
    ]


def test_a_failure_while_storing_leaves_the_stored_cable_whole(monkeypatch):
    import_paths(SEED)
    before = list(Paragraph.objects.order_by("position").values_list("anchor", "text"))
    changed = SEED.read_text(encoding="utf-8").replace("Welcome to Mexico City.", "Welcome.")

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    # Fault injection: the write fails after the cable row and its tags were rewritten.
    monkeypatch.setattr(Paragraph.objects, "bulk_create", fail)
    report = import_items([seed_source(changed)])
    assert report.failed == 1 and "disk full" in report.failures[0].reason
    cable = Cable.objects.get()
    assert cable.raw_text == SEED.read_text(encoding="utf-8")
    assert list(Paragraph.objects.order_by("position").values_list("anchor", "text")) == before
    assert CableTag.objects.count() == 6


def test_dry_run_reports_without_writing():
    report = import_items([seed_source()], dry_run=True, keep_outcomes=True)
    assert report.created == 1
    assert Cable.objects.count() == 0


def test_command_ends_with_one_summary_line(tmp_path):
    (tmp_path / "broken.html").write_text("<html>nothing</html>")
    out, err = StringIO(), StringIO()
    call_command("import_cables", str(SEED), str(tmp_path), stdout=out, stderr=err)
    assert out.getvalue().strip().splitlines()[-1] == "created 1, updated 0, unchanged 0, failed 1"
    assert "broken.html" in err.getvalue() and "no cable in it" in err.getvalue()


def test_command_is_idempotent():
    out = StringIO()
    call_command("import_cables", str(SEED), stdout=out)
    call_command("import_cables", str(SEED), stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "created 0, updated 0, unchanged 1, failed 0"


def test_command_fails_when_nothing_could_be_imported(tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "import_cables", str(tmp_path / "missing.txt"), stdout=StringIO(), stderr=StringIO()
        )


def test_whole_corpus_imports_and_names_the_one_file_that_is_no_cable(corpus):
    report = import_paths(corpus)
    # ORIGINS.txt lists the release's names for its posts: a text file, but no cable.
    assert [(Path(failure.source).name, failure.reason) for failure in report.failures] == [
        ("ORIGINS.txt", "no cable found: no header, classification line, subject or paragraphs")
    ]
    manifest = (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    published = {reference for line in manifest for reference in line.split("\t")[1].split(";")}
    assert set(Cable.objects.values_list("reference_id", flat=True)) == published


def test_a_paragraph_that_disappears_keeps_its_permalink_answering(client):
    import_paths(SEED)
    urls = [
        f"/cables/08MEXICO2160/{anchor}/"
        for anchor in Paragraph.objects.values_list("anchor", flat=True)
    ]
    shorter = SEED.read_text(encoding="utf-8").split("Key Issues\n")[0] + "PARNELL\n"
    report = import_items([seed_source(shorter)])
    assert report.updated == 1
    assert not Paragraph.objects.filter(anchor="p10").exists()
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    response = client.get("/cables/08MEXICO2160/p10/", follow=True)
    assert response.redirect_chain == [("/cables/08MEXICO2160/?retired=p10", 302)]
    assert "(p10) is not in the current text of this cable" in response.content.decode()
    # The paragraph coming back un-retires its anchor.
    import_paths(SEED)
    assert client.get("/cables/08MEXICO2160/p10/").status_code == 200
    assert not Cable.objects.get().retired_anchors.exists()


def test_a_bulk_load_indexes_the_text_once_at_the_end(tmp_path):
    from cables.reading import search
    from cables.writing import search_index

    out = StringIO()
    call_command("import_cables", "--bulk", str(SEED), stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == "created 1, updated 0, unchanged 0, failed 0"
    assert not search_index.index_paused()
    search_index.check_index()
    found = search.filter_cables(
        Cable.objects.all(), search.parse_query('"Operation Armas Cruzadas"')
    )
    assert list(found.values_list("reference_id", flat=True)) == ["08MEXICO2160"]


def test_an_index_left_paused_by_a_killed_bulk_load_is_rebuilt_by_the_next_import():
    from cables.writing import search_index

    import_paths(SEED)
    search_index.pause_index()  # as if a bulk load had been killed before its end
    assert search_index.index_paused()  # SQLite's triggers, PostgreSQL's GIN indexes, dropped
    err = StringIO()
    call_command("import_cables", str(SEED), stdout=StringIO(), stderr=err)
    assert not search_index.index_paused()
    assert "rebuilding it first" in err.getvalue()
    search_index.check_index()


def archive_contents() -> dict:
    """Everything the import derived and stored, by reference id: each field of each cable
    (its sender and tags by their values, not their ids) and its child rows, in order.
    Row ids and timestamps are left out: they tell when a row was written, not what."""
    skipped = {"id", "imported_at", "updated_at", "sender"}
    fields = [f.attname for f in Cable._meta.concrete_fields if f.name not in skipped]
    children = [
        relation
        for relation in Cable._meta.related_objects
        if relation.one_to_many and relation.related_model._meta.managed
    ]
    contents = {}
    for cable in Cable.objects.select_related("sender").order_by("reference_id"):
        row = {name: getattr(cable, name) for name in fields}
        sender = cable.sender
        row["sender"] = sender and (sender.name, sender.code, sender.slug)
        for relation in children:
            model = relation.related_model
            columns = [
                f.attname
                for f in model._meta.concrete_fields
                if f.name not in ("id", relation.field.name, "tag", "retired_at")
            ]
            if any(f.name == "tag" for f in model._meta.concrete_fields):
                columns += ["tag__code", "tag__description", "tag__kind"]
            rows = model.objects.filter(**{relation.field.name: cable}).values_list(*columns)
            row[relation.get_accessor_name()] = sorted(rows)
        contents[cable.reference_id] = row
    return contents


def test_parsing_on_worker_processes_gives_the_same_archive(corpus):
    """The archive built by parsing on two processes, and the one built again from nothing
    on one, hold the same values: nothing is lost or changed between the processes."""
    files = sorted((corpus / "cablegate-2011-04" / "2008").rglob("*.html"))[:30]
    items = [item for path in files for item in read_path(path)]
    report = import_items(items, workers=2, batch_size=7)
    assert (report.created, report.failed) == (30, 0)
    on_two = archive_contents()
    assert sum(len(row["paragraphs"]) for row in on_two.values()) > 30
    Cable.objects.all().delete()
    Sender.objects.all().delete()
    Tag.objects.all().delete()
    report = import_items(items, workers=1)
    assert (report.created, report.failed) == (30, 0)
    on_one = archive_contents()
    assert list(on_two) == list(on_one)
    for reference_id, row in on_one.items():
        assert on_two[reference_id] == row, reference_id
