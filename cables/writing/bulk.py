"""The fast path of the import service, for loads of thousands of new cables.

``prepare`` parses texts (on several processes when asked) in bounded windows, so a
1.7 GB ``cables.csv`` streams through in constant memory. ``store_new`` writes a
batch of cables that are not in the archive yet with one INSERT per table; the
caller runs it in one transaction, so each cable is whole or absent, never half
written, and falls back to one cable at a time if the batch fails.
"""

import multiprocessing
from collections.abc import Iterable, Iterator
from itertools import islice

import django
from django.db import connection

from ..archive_version import bump_version
from ..models import Cable, CableAlias, CableReference, CableTag, Paragraph, Sender, Tag
from ..parsing import ParseError, SourceText, parse_cable
from ..reference import tag_descriptions
from .cable_data import cable_data

WINDOW = 2000  # texts handed to the parsing processes at a time


def prepare_one(item):
    """(item, CableData) or (item, ParseError), for one reader item. Runs in workers."""
    if isinstance(item, ParseError):
        return item, item
    try:
        return item, cable_data(item, parse_cable(item.text))
    except ParseError as error:
        return item, error
    except Exception as error:  # noqa: BLE001 - reported as that cable's failure
        return item, error


def prepare(items: Iterable[SourceText | ParseError], workers: int = 1) -> Iterator[tuple]:
    """Parse every item, in order, on ``workers`` processes."""
    if workers <= 1:
        yield from map(prepare_one, items)
        return
    # Fresh interpreters, not forks: forking a process that has threads (a web server,
    # a test runner) can deadlock the child.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=django.setup) as pool:
        iterator = iter(items)
        # Two windows in flight: the workers parse the next while the caller writes this
        # one, and memory holds at most two windows of texts.
        pending = pool.map_async(prepare_one, list(islice(iterator, WINDOW)), chunksize=32)
        while True:
            window = list(islice(iterator, WINDOW))
            following = pool.map_async(prepare_one, window, chunksize=32) if window else None
            yield from pending.get()
            if following is None:
                return
            pending = following


class Lookups:
    """Senders and tags met so far, so a batch asks the database once for each."""

    def __init__(self):
        self.senders: dict[str, Sender] = {}
        self.tags: dict[str, Tag] = {}

    def sender(self, name_and_code: tuple[str, str] | None) -> Sender | None:
        if not name_and_code:
            return None
        name, code = name_and_code
        sender = self.senders.get(name)
        if sender is None:
            sender, _ = Sender.objects.get_or_create(name=name, defaults={"code": code})
            self.senders[name] = sender
        if code and not sender.code:
            sender.code = code
            sender.save(update_fields=["code"])
        return sender

    def load_tags(self, codes: set[str]) -> None:
        missing = codes - self.tags.keys()
        if not missing:
            return
        found = {tag.code: tag for tag in Tag.objects.filter(code__in=missing)}
        new = [
            Tag(
                code=code,
                description=tag_descriptions.describe(code),
                kind=tag_descriptions.kind(code),
            )
            for code in missing - found.keys()
        ]
        if new:
            Tag.objects.bulk_create(new, ignore_conflicts=True)
            found = {tag.code: tag for tag in Tag.objects.filter(code__in=missing)}
        self.tags.update(found)


def store_new(batch: list, lookups: Lookups) -> list[Cable]:
    """Insert cables that are not in the archive yet, with all their rows, and bump the
    archive's version once. Call inside a transaction: on any error the whole batch
    rolls back."""
    lookups.load_tags({code for data in batch for code in data.tags})
    cables = []
    for data in batch:
        cable = Cable(reference_id=data.reference_id, **data.fields)
        cable.sender = lookups.sender(data.sender)
        cables.append(cable)
    Cable.objects.bulk_create(cables, batch_size=500)
    # Plain tuples, not model instances: at a quarter of a million cables, building and
    # preparing two million Paragraph objects would cost more than the inserts.
    tags, references, paragraphs, aliases = [], [], [], []
    for cable, data in zip(cables, batch, strict=True):
        tags += [
            (cable.pk, lookups.tags[code].pk, position)
            for position, code in enumerate(data.tags, start=1)
        ]
        references += [
            (cable.pk, position, reference_id)
            for position, reference_id in enumerate(data.references, start=1)
        ]
        paragraphs += [
            (cable.pk, *(paragraph[column] for column in PARAGRAPH_COLUMNS[1:]))
            for paragraph in data.paragraphs
        ]
        aliases += [CableAlias(cable_id=cable.pk, alias=alias) for alias in data.aliases]
    insert_rows(CableTag, ("cable_id", "tag_id", "position"), tags)
    insert_rows(CableReference, ("cable_id", "position", "reference_id"), references)
    insert_rows(Paragraph, PARAGRAPH_COLUMNS, paragraphs)
    # An alias another cable already holds keeps pointing there.
    CableAlias.objects.bulk_create(aliases, batch_size=2000, ignore_conflicts=True)
    bump_version()  # once for the batch, in its transaction: see cables/archive_version.py
    return cables


PARAGRAPH_COLUMNS = ("cable_id", "position", "number", "anchor", "marking", "heading", "text")


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT many rows of ``model`` with one prepared statement (``executemany``):
    Django's bulk_create builds a model instance per row and compiles SQL for every
    chunk, which dominates large loads. Only for plain columns (ids, numbers, text)."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)
