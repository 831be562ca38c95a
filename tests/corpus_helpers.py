"""Shared by the corpus-wide facet, search and browse tests: the archive imported once
per module, and what MANIFEST.tsv says about each cable (not derived from the text)."""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

import pytest

from tests.conftest import import_paths

WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Published:
    reference_id: str
    created: str  # YYYY-MM-DD hh:mm
    classification: str
    origin: str

    @property
    def year(self) -> str:
        return self.created[:4]

    @property
    def month(self) -> str:
        return self.created[:7]


def manifest(corpus, within: str = "") -> dict[str, Published]:
    """One entry per reference id (of the files under ``within``, if given). The row for
    the CSV sample lists two ids and no metadata; those two cables have HTML rows too,
    so it is skipped."""
    published = {}
    lines = (corpus / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        if ";" in row["reference_id"] or not row["path"].startswith(within):
            continue
        entry = Published(row["reference_id"], row["created"], row["classification"], row["origin"])
        earlier = published.get(entry.reference_id)
        # Renderings of the same cable differ by minutes in `created`, never in these.
        assert earlier is None or (earlier.month, earlier.classification, earlier.origin) == (
            entry.month,
            entry.classification,
            entry.origin,
        ), (earlier, entry)
        published[entry.reference_id] = entry
    return published


def counts(entries, attribute: str) -> Counter:
    return Counter(getattr(entry, attribute) for entry in entries)


def empty_archive():
    from cables.models import Cable, FacetCount, Sender, SummaryFingerprint, Tag

    FacetCount.objects.all().delete()
    SummaryFingerprint.objects.all().delete()
    Cable.objects.all().delete()
    Sender.objects.all().delete()
    Tag.objects.all().delete()


def imported_archive_fixture(within: str = ""):
    """A module-scoped fixture: the corpus (or its folder ``within``) imported once for
    the module and removed afterwards; its value is what MANIFEST.tsv says of those files."""

    @pytest.fixture(scope="module")
    def archive(corpus, django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            empty_archive()
            # Whether every file imports is tests/test_import.py's concern; a cable that
            # fails to import shows here as a count that disagrees with the manifest.
            import_paths(corpus / within)
        yield manifest(corpus, within)
        with django_db_blocker.unblock():
            empty_archive()

    return archive


def csv_reference_ids(response) -> list[str]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return [row["reference_id"] for row in csv.DictReader(io.StringIO(text))]


def words(text: str) -> list[str]:
    return [word.lower() for word in WORD.findall(text)]


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether the words of ``phrase`` occur in ``text`` one after the other."""
    haystack = " " + " ".join(words(text)) + " "
    return " " + " ".join(words(phrase)) + " " in haystack
