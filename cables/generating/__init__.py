"""Synthetic Cablegate cables at any size, in the release's real formats and shape.

``generate_cables --count N --seed S --out DIR`` (the management command) is a thin
wrapper around :func:`write_corpus`. Everything here is pure Python (no Django), so
the generator can run in worker processes and be tested without a database.

**What is generated.** Cables in the plain-text format of ``seeds/08MEXICO2160.txt``
(one file per cable, ``DIR/YYYY/MM/REFID.txt``) or as one ``cables.csv`` (the release's
8 columns, no header, ``\\"`` quotes, hard-wrapped text), with the release's shape:
dates weighted by year as in the release (``YEAR_COUNTS``), 274 senders with the real
heavy tail (``SENDERS``), the six classifications in the release's proportions
(``CLASSIFICATION_COUNTS``), 1–8 TAGS from a Zipf-like vocabulary of about 1,000 codes,
2–30 numbered paragraphs averaging about 6,700 characters of text, with markings,
headings, bullets, REF lines naming earlier generated cables, page-break lines,
``&…8`` quote artifacts and ``XXXXXXXXXXXX`` redactions.

**Labelled synthetic everywhere.** Every subject begins ``SYNTHETIC:``, every first
paragraph begins ``(U) SYNTHETIC CABLE generated for testing; not a real cable.``, and
every transmission id begins ``VZCZCSYN``.

**Text.** A Markov chain over the paragraph text of the real corpus (``$CABLE_CORPUS``
or ``../shared/corpus``), built at run time and never stored, writes a pool of 30,000
synthetic sentences; paragraphs are drawn from the pool (see :class:`WordModel`). Without
the corpus a small built-in vocabulary is used, with a warning (``WordModel.warning``).

**Determinism and speed.** The cables are planned in order by one random stream
(dates, senders, serials, classifications, references: cheap, constant memory), then
rendered in units of ``UNIT_SIZE`` cables, each unit with its own random stream seeded by
(seed, unit number). The output is therefore identical for a given seed and count
whatever the number of worker processes, and units render in parallel.

**Round trip.** Every :class:`SyntheticCable` knows what the parser
(``cables.parsing.parse_cable``) should derive from its text: reference id, date,
sender name, classification, caveats, tags, subject, references, paragraph count.

**Modules.** :mod:`.shape` (the release's shape and the planning pass), :mod:`.words`
(the word model), :mod:`.formats` (:class:`SyntheticCable` and its .txt and CSV forms),
:mod:`.rendering` (a plan made into a cable) and :mod:`.units` (units, workers and files).
The names callers use are imported here; to replace one for a test, patch it in the
module that looks it up (``units.plan_cables`` for :func:`iter_units`), not here.
"""

from __future__ import annotations

from . import formats, rendering, shape, units, words
from .formats import TRANSMISSION_PREFIX, SyntheticCable, SyntheticParagraph
from .rendering import NOTICE, SUBJECT_PREFIX, render
from .shape import (
    CLASSIFICATION_COUNTS,
    CLASSIFICATIONS,
    RELEASE_TOTAL,
    SENDERS,
    TAG_VOCABULARY,
    YEAR_COUNTS,
    Plan,
    Sender,
    allocate,
    display_name,
    month_counts,
    plan_cables,
    reference_id,
)
from .units import (
    UNIT_SIZE,
    Summary,
    generate,
    iter_units,
    print_progress,
    render_unit,
    single_threaded,
    write_corpus,
)
from .words import QUOTE_ARTIFACT, WordModel, default_corpus, load_model, paragraph_texts

__all__ = [
    "CLASSIFICATIONS",
    "CLASSIFICATION_COUNTS",
    "NOTICE",
    "QUOTE_ARTIFACT",
    "RELEASE_TOTAL",
    "SENDERS",
    "SUBJECT_PREFIX",
    "TAG_VOCABULARY",
    "TRANSMISSION_PREFIX",
    "UNIT_SIZE",
    "YEAR_COUNTS",
    "Plan",
    "Sender",
    "Summary",
    "SyntheticCable",
    "SyntheticParagraph",
    "WordModel",
    "allocate",
    "default_corpus",
    "display_name",
    "formats",
    "generate",
    "iter_units",
    "load_model",
    "month_counts",
    "paragraph_texts",
    "plan_cables",
    "print_progress",
    "reference_id",
    "render",
    "render_unit",
    "rendering",
    "shape",
    "single_threaded",
    "units",
    "words",
    "write_corpus",
]
