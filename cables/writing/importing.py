"""The one way cables get into the archive: the import command and the admin both call this.

Each cable is stored in its own transaction, so a cable is never half-written and
one bad file never stops the rest of a batch. Re-importing the same text changes
nothing; a changed text for the same reference id updates that cable in place, and
since paragraph anchors come from the cable's own numbering, its permalinks stay.
Within one import, a second text whose id an earlier file already gave replaces it
when it is another rendering of that cable; when it is another cable's (see
``conflict``), it fails, naming both files, and the first stays.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction

from ..archive_version import bump_version
from ..models import (
    Cable,
    CableAlias,
    CableReference,
    CableTag,
    Paragraph,
    RetiredAnchor,
)
from ..parsing import ParseError, SourceText, parse_cable
from ..reading import summaries
from . import bulk
from .cable_data import CableData, cable_data, changed_fields
from .import_repeats import BatchEntry, conflict


@dataclass
class Failure:
    source: str
    reason: str
    reference_id: str = ""

    def __str__(self):
        cable = f" [{self.reference_id}]" if self.reference_id else ""
        return f"{self.source}{cable}: {self.reason}"


@dataclass
class Outcome:
    """What importing one source did (or, in a dry run, would do)."""

    source: str
    status: str  # created, updated, unchanged, failed
    reference_id: str = ""
    changed_fields: list[str] = field(default_factory=list)
    reason: str = ""
    note: str = ""  # e.g. that an earlier item of the same batch had the same reference id


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list[Failure] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.failed

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, failed {self.failed}"
        )

    def add(self, outcome: Outcome, keep_outcome: bool) -> None:
        if outcome.status == "failed":
            self.failures.append(Failure(outcome.source, outcome.reason, outcome.reference_id))
        else:
            setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        if keep_outcome:
            self.outcomes.append(outcome)


def store(data: CableData, cable: Cable | None) -> Cable:
    """Write one cable and everything under it, and bump the archive's version. Call
    inside a transaction."""
    if cable is None:
        cable = Cable(reference_id=data.reference_id)
    for name, value in data.fields.items():
        setattr(cable, name, value)
    # A fresh Lookups: nothing cached may outlive this cable's transaction.
    lookups = bulk.Lookups()
    cable.sender = lookups.sender(data.sender)
    lookups.load_tags(set(data.tags))
    cable.save()
    cable.cable_tags.all().delete()
    CableTag.objects.bulk_create(
        CableTag(cable=cable, tag=tag, position=position)
        for position, tag in enumerate((lookups.tags[code] for code in data.tags), start=1)
    )
    cable.references.all().delete()
    CableReference.objects.bulk_create(
        CableReference(cable=cable, position=position, reference_id=reference_id)
        for position, reference_id in enumerate(data.references, start=1)
    )
    for alias in data.aliases:
        CableAlias.objects.update_or_create(alias=alias, defaults={"cable": cable})
    retire_missing_anchors(cable, {paragraph["anchor"] for paragraph in data.paragraphs})
    cable.paragraphs.all().delete()
    Paragraph.objects.bulk_create(
        Paragraph(cable=cable, **paragraph) for paragraph in data.paragraphs
    )
    bump_version()  # in this transaction: see cables/archive_version.py
    return cable


def retire_missing_anchors(cable: Cable, new_anchors: set[str]) -> None:
    """Remember anchors the new text no longer has, so their permalinks keep answering."""
    old_anchors = set(cable.paragraphs.values_list("anchor", flat=True))
    RetiredAnchor.objects.bulk_create(
        (RetiredAnchor(cable=cable, anchor=anchor) for anchor in old_anchors - new_anchors),
        ignore_conflicts=True,
    )
    cable.retired_anchors.filter(anchor__in=new_anchors).delete()


def store_one(
    source: SourceText,
    data: "CableData | Exception",
    dry_run: bool = False,
    earlier: dict[str, BatchEntry] | None = None,
) -> Outcome:
    """Store one parsed cable (or report why it could not be parsed), in its own transaction."""
    reference_id = ""
    try:
        if isinstance(data, Exception):
            raise data
        reference_id = data.reference_id
        sha256 = data.fields["raw_sha256"]
        entry = BatchEntry.of(source.name, data.fields, data.claimed_id)
        repeat = (earlier or {}).get(reference_id)
        if repeat and (reason := conflict(repeat, entry, reference_id)):
            return Outcome(source.name, "failed", reference_id, reason=reason)
        if earlier is not None:
            earlier[reference_id] = entry
        note = f"repeats {repeat.source} in this batch: the later copy wins" if repeat else ""
        if repeat and dry_run:
            if repeat.sha256 == sha256:
                return Outcome(source.name, "unchanged", reference_id, note=note)
            return Outcome(source.name, "updated", reference_id, ["raw_sha256"], note=note)
        with transaction.atomic():
            cable = Cable.objects.select_for_update().filter(reference_id=reference_id).first()
            if cable is None:
                if not dry_run:
                    store(data, None)
                return Outcome(source.name, "created", reference_id, note=note)
            changes = changed_fields(cable, data)
            if not changes:
                return Outcome(source.name, "unchanged", reference_id, note=note)
            if not dry_run:
                store(data, cable)
            return Outcome(source.name, "updated", reference_id, changes, note=note)
    except ParseError as error:
        reason = error.reason if error.line is None else f"line {error.line}: {error.reason}"
        return Outcome(source.name, "failed", reference_id, reason=reason)
    except Exception as error:  # noqa: BLE001 - one cable's bug must not stop the batch
        return Outcome(source.name, "failed", reference_id, reason=f"unexpected error: {error!r}")


def import_items(
    items: Iterable[SourceText | ParseError],
    dry_run: bool = False,
    keep_outcomes: bool = False,
    progress: Callable[[Outcome], None] | None = None,
    workers: int = 1,
    batch_size: int = 200,
) -> ImportReport:
    """Import every readable item; report every one that could not be read or parsed.

    Texts are parsed on ``workers`` processes; cables new to the archive are written
    ``batch_size`` at a time (see cables/writing/bulk.py), the others one by one. After a
    change, the stored facet counts are counted again (cables/reading/summaries.py).
    """
    report = ImportReport()
    earlier: dict[str, BatchEntry] = {}
    lookups = bulk.Lookups()
    prepared = bulk.prepare(items, workers)
    while batch := list(islice(prepared, batch_size)):
        for outcome in import_batch(batch, dry_run, earlier, lookups):
            report.add(outcome, keep_outcomes)
            if progress:
                progress(outcome)
    if report.created or report.updated:
        summaries.refresh()
    return report


def import_batch(
    batch: list, dry_run: bool, earlier: dict, lookups: "bulk.Lookups"
) -> list[Outcome]:
    """Outcomes for one batch of (item, data) pairs, in the batch's order."""
    outcomes: list[Outcome | None] = [None] * len(batch)
    ids = [data.reference_id for _, data in batch if isinstance(data, CableData)]
    stored = set(Cable.objects.filter(reference_id__in=ids).values_list("reference_id", flat=True))
    new, seen = [], set()
    for position, (item, data) in enumerate(batch):
        if isinstance(item, ParseError):
            reason = item.reason if item.line is None else f"line {item.line}: {item.reason}"
            outcomes[position] = Outcome(item.source, "failed", reason=reason)
        elif isinstance(data, CableData) and not dry_run:
            reference_id = data.reference_id
            if (
                reference_id not in stored
                and reference_id not in earlier
                and reference_id not in seen
            ):
                new.append(position)
                seen.add(reference_id)
    if new:
        try:
            with transaction.atomic():
                bulk.store_new([batch[position][1] for position in new], lookups)
        except Exception:  # noqa: BLE001 - one bad cable: store this batch one by one
            lookups.__init__()  # what it cached may have been rolled back
            new = []
        for position in new:
            item, data = batch[position]
            earlier[data.reference_id] = BatchEntry.of(item.name, data.fields, data.claimed_id)
            outcomes[position] = Outcome(item.name, "created", data.reference_id)
    for position, (item, data) in enumerate(batch):
        if outcomes[position] is None:
            outcomes[position] = store_one(item, data, dry_run=dry_run, earlier=earlier)
    return outcomes


def reparse_cable(cable: Cable) -> Outcome:
    """Re-derive one stored cable from its raw text with the current parser.

    The stored reference id stays canonical, so permalinks never move; a new
    text-derived id becomes an alias. Anchors that vanish are retired, not lost.
    """
    source = SourceText(
        name=cable.source_name or cable.reference_id,
        text=cable.raw_text,
        format=cable.source_format,
        metadata=cable.release_metadata,
    )
    try:
        data = cable_data(source, parse_cable(cable.raw_text))
        if data.reference_id != cable.reference_id:
            data.aliases = [alias for alias in (data.reference_id,) if alias != cable.reference_id]
            data.reference_id = cable.reference_id
        with transaction.atomic():
            locked = Cable.objects.select_for_update().get(pk=cable.pk)
            changes = changed_fields(locked, data)
            if not changes:
                return Outcome(source.name, "unchanged", cable.reference_id)
            store(data, locked)
            return Outcome(source.name, "updated", cable.reference_id, changes)
    except ParseError as error:
        return Outcome(source.name, "failed", cable.reference_id, reason=error.reason)
    except Exception as error:  # noqa: BLE001 - one cable's bug must not stop the batch
        return Outcome(
            source.name, "failed", cable.reference_id, reason=f"unexpected error: {error!r}"
        )


def reparse_cables(
    queryset=None, batch_size: int = 500, progress: Callable[[Outcome], None] | None = None
) -> ImportReport:
    """Reparse every cable (or those of ``queryset``) in batches of ``batch_size``."""
    queryset = Cable.objects.all() if queryset is None else queryset
    report = ImportReport()
    last_id = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_id).order_by("pk")[:batch_size])
        if not batch:
            if report.updated:
                summaries.refresh()
            return report
        for cable in batch:
            outcome = reparse_cable(cable)
            report.add(outcome, keep_outcome=False)
            if progress:
                progress(outcome)
        last_id = batch[-1].pk
