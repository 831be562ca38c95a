"""reparse_cables: parser fixes reach an archive already loaded, and permalinks stay."""

from io import StringIO

import pytest
from django.core.management import call_command

from cables.models import Cable, CableAlias, FacetCount, Paragraph
from cables.reading import summaries

from .conftest import SEED, import_paths

pytestmark = pytest.mark.django_db


def test_reparse_of_an_unchanged_archive_changes_nothing():
    import_paths(SEED)
    out = StringIO()
    call_command("reparse_cables", stdout=out)
    assert out.getvalue().strip() == "updated 0, unchanged 1, failed 0"


def test_reparse_recomputes_derived_fields_from_the_raw_text_and_keeps_anchors(client):
    import_paths(SEED)
    anchors = list(Paragraph.objects.order_by("position").values_list("anchor", flat=True))
    # Damage the derived fields as an old parser might have left them.
    Cable.objects.update(subject="WRONG", classification="SECRET", signer="")
    Paragraph.objects.filter(anchor="p5").update(text="truncated")
    out = StringIO()
    call_command("reparse_cables", "08MEXICO2160", stdout=out)
    assert out.getvalue().strip() == "updated 1, unchanged 0, failed 0"
    cable = Cable.objects.get()
    assert cable.subject == "SCENESETTER FOR DHS SECRETARY MICHAEL CHERTOFF, JULY 17-19"
    assert cable.classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert cable.signer == "PARNELL"
    assert "A new disturbing trend in recent months" in cable.paragraphs.get(anchor="p5").text
    assert list(cable.paragraphs.order_by("position").values_list("anchor", flat=True)) == anchors
    for anchor in anchors:
        assert client.get(f"/cables/08MEXICO2160/{anchor}/").status_code == 200


def test_importing_a_release_page_stores_the_release_id_and_aliases_the_text_id(client, corpus):
    page = corpus / "cablegate-2011-09" / "1975" / "11" / "7575LIBREVILLE1895.html"
    report = import_paths(page)
    assert report.created == 1, report.failures
    cable = Cable.objects.get()
    assert cable.reference_id == "7575LIBREVILLE1895"
    assert cable.disagreements["reference_id"] == {
        "release": "7575LIBREVILLE1895",
        "text": "75LIBREVILLE1895",
    }
    assert CableAlias.objects.get().alias == "75LIBREVILLE1895"
    response = client.get("/cables/75LIBREVILLE1895/")
    assert response.status_code == 301
    assert response["Location"] == "/cables/7575LIBREVILLE1895/"


def test_reparse_refreshes_the_stored_facet_counts():
    import_paths(SEED)
    # Counts stored while an old parser's classification was in the archive.
    Cable.objects.update(classification="SECRET")
    summaries.refresh()
    call_command("reparse_cables", stdout=StringIO())
    assert summaries.is_current()
    stored = FacetCount.objects.filter(scope="", facet="classification")
    assert dict(stored.values_list("value", "count")) == {"UNCLASSIFIED//FOR OFFICIAL USE ONLY": 1}
