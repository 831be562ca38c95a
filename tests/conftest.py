import os
from pathlib import Path

import pytest

from cables.parsing import read_path
from cables.reading import facts
from cables.writing.importing import import_items

PROJECT = Path(__file__).resolve().parent.parent
SEED = PROJECT / "seeds" / "08MEXICO2160.txt"

# The browser tests' served archive, Chromium, and screenshots of the pages of a failure.
pytest_plugins = ["tests.browser_support"]


def corpus_path() -> Path:
    return Path(os.environ.get("CABLE_CORPUS", PROJECT.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The real Cablegate corpus; a visible skip without it, a failure when REQUIRE_CORPUS=1."""
    path = corpus_path()
    if not (path / "MANIFEST.tsv").exists():
        message = f"the Cablegate corpus is not at {path} (set CABLE_CORPUS to its folder)"
        if os.environ.get("REQUIRE_CORPUS") == "1":
            pytest.fail(message + ", and REQUIRE_CORPUS=1 requires it")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def seed_html(corpus) -> Path:
    return corpus / "cablegate-2011-04" / "2008" / "07" / "08MEXICO2160.html"


def import_paths(*paths):
    """Import files through the same service the command and the admin use."""
    items = [item for path in paths for item in read_path(path)]
    return import_items(items)


@pytest.fixture(autouse=True)
def fresh_facts():
    """Each test reads the facts of its own cables (cables/reading/facts.py keeps them per process,
    and a test's writes are rolled back under the same archive version)."""
    facts.forget()
    yield
    facts.forget()


@pytest.fixture
def seed_cable(db):
    report = import_paths(SEED)
    assert report.created == 1, report.failures
    from cables.models import Cable

    return Cable.objects.get(reference_id="08MEXICO2160")
