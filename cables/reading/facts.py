"""Every cable's sender, classification, date and tags, held in each worker's memory, so
that a list page counts its facets and orders its cables without asking the database to
group or sort them (cables/reading/results.py).

The arrays hold a few small numbers per cable, indexed by cable id (5 MB for the whole
release), and a list holds each cable's tag ids (20 MB: a million tags). They are read
as a worker starts (``warm``, from archive/wsgi.py, so no reader waits for them; two
queries of narrow covering indexes), and brought up to date whenever the
archive's version (``archive_version.current_version()``, bumped by every write) or its highest
cable id has changed since: only the cables whose ``updated_at`` is later than the
latest the arrays have seen are read again (less a margin, for a transaction that
committed after a later one began), so a page served during an import reads a few
rows, not the archive. One query per list page checks the version and the highest id.
A page that meets a cable the arrays do not hold (missed by the margin below) reads them
afresh.

A cable's tags change only when the cable is written (the importer saves the cable, and
with it ``updated_at``, in the transaction that replaces its tags; the admin cannot edit
them), so they are read again with its other facts. A deleted cable keeps its entry: the
arrays are only ever asked about ids the database has just returned. A write made outside
the app that neither bumps the version nor sets ``updated_at`` (raw SQL) is not seen until
the worker restarts.
"""

import calendar
import json
import logging
import threading
from array import array
from dataclasses import dataclass, replace
from datetime import timedelta

from django.db import connection
from django.db.models import BigIntegerField, ExpressionWrapper, F, Func, IntegerField, Max
from django.db.models.functions import Coalesce

from ..archive_version import current_version
from ..models import Cable, CableTag, Classification
from .limits import paused

LABELS = list(Classification.values)  # a classification is stored as its index + 1
# A cable's sender and classification packed in one number, so one pass counts both.
LABEL_BITS = 3
LABEL_MASK = (1 << LABEL_BITS) - 1
# A cable's place in date order is one integer: its date in seconds since the year 1000,
# shifted left by ID_BITS, plus its id; an undated cable's is its id alone (so it sorts
# first, and last when newest first). Ordering by it is ordering by (date, id), to the
# second; it fits 64 bits until the year 5000, for 67 million cables.
ID_BITS = 26
ID_MASK = (1 << ID_BITS) - 1
SINCE_1000 = 30_610_224_000  # seconds from 1000-01-01 to 1970-01-01 (Unix time's start)
# Rows whose updated_at is up to this much older than the latest seen are read again:
# a transaction's timestamps are taken before it commits. SQLite's writers take the lock
# before they stamp (IMMEDIATE transactions), one at a time, so there a few seconds are
# ample (and a refresh during an import reads seconds of rows, not minutes). PostgreSQL's
# writers run side by side: a write that commits more than two minutes after stamping
# its rows, or stamped by a host whose clock runs that much behind, is missed until a
# page meets one of its cables (see results.result_set) or the worker restarts.
MARGIN = {"sqlite": timedelta(seconds=10), "postgresql": timedelta(minutes=2)}


@dataclass(frozen=True)
class Facts:
    """Arrays indexed by cable id (ids the arrays have not seen hold zeros)."""

    key: tuple  # (archive version, highest cable id) they describe
    seen_until: object  # the latest updated_at read
    sender: array  # sender id, 0 for none
    label: array  # index in LABELS + 1, 0 for none
    pair: array  # sender id << LABEL_BITS | label
    year: array  # UTC year, 0 for no date
    month: array  # UTC month 1-12, 0 for no date
    order: array  # place in date order (see ID_BITS)
    tags: list  # a tuple of tag ids, () for none

    def knows(self, cable_id: int) -> bool:
        """Whether the arrays hold this cable (a stored cable's order is never 0)."""
        return cable_id < len(self.order) and self.order[cable_id] != 0


logger = logging.getLogger(__name__)
_loaded: Facts | None = None
_lock = threading.Lock()


def archive_key() -> tuple:
    """What current arrays describe: the archive's version and highest cable id. Two
    queries (by primary key; the end of the id index)."""
    last_id = Cable.objects.order_by().aggregate(value=Coalesce(Max("id"), 0))["value"]
    return current_version(), last_id


def current() -> Facts:
    """The facts of every cable as the archive is now: read, or brought up to date."""
    global _loaded
    key = archive_key()
    facts = _loaded
    if facts is not None and facts.key == key:
        return facts
    with _lock, paused():  # the work serves many pages: not under one page's time limit
        if _loaded is None:
            _loaded = load(key)
        elif _loaded.key != key:
            _loaded = refreshed(_loaded, key)
        return _loaded


class YearOf(Func):
    """The UTC year of a datetime column, computed by the database without a Python
    function (Django's ExtractYear calls one per row on SQLite)."""

    output_field = IntegerField()
    template = "CAST(EXTRACT(YEAR FROM %(expressions)s AT TIME ZONE 'UTC') AS integer)"

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite stores datetimes as UTC text, 'YYYY-MM-DD HH:MM:SS'.
        return self.as_sql(
            compiler, connection, template="CAST(substr(%(expressions)s, 1, 4) AS integer)", **extra
        )


class MonthOf(Func):
    output_field = IntegerField()
    template = "CAST(EXTRACT(MONTH FROM %(expressions)s AT TIME ZONE 'UTC') AS integer)"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(substr(%(expressions)s, 6, 2) AS integer)", **extra
        )


class SecondsSince1000(Func):
    """Seconds from 1000-01-01 to a datetime column (UTC), computed by the database."""

    output_field = BigIntegerField()
    template = f"(CAST(EXTRACT(EPOCH FROM %(expressions)s) AS bigint) + {SINCE_1000})"

    def as_sqlite(self, compiler, connection, **extra):
        # julianday: days since 4714 BC; 2440587.5 of them fell before Unix time began.
        template = (
            f"(CAST(round((julianday(%(expressions)s) - 2440587.5) * 86400) AS integer)"
            f" + {SINCE_1000})"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


def facts_of(cables):
    """Rows of (id, sender id, classification, year, month, place in date order) of
    ``cables``, each computed by the database; read from a narrow covering index
    (``cable_facts`` or ``cable_date_facts``), never from the wide rows."""
    place = Coalesce(SecondsSince1000("date") * (1 << ID_BITS), 0, output_field=BigIntegerField())
    return (
        cables.order_by()
        .annotate(
            year=YearOf("date"),
            month=MonthOf("date"),
            place=ExpressionWrapper(place + F("id"), output_field=BigIntegerField()),
        )
        .values_list("id", "sender_id", "classification", "year", "month", "place")
    )


def fill(facts: Facts, rows) -> None:
    """Write rows of ``facts_of()`` into the arrays of ``facts`` (grown as needed)."""
    label_index = {name: index for index, name in enumerate(LABELS, start=1)}
    for cable_id, sender_id, classification, year, month, order in rows:
        if cable_id > ID_MASK:
            raise ValueError(f"cable id {cable_id} is over {ID_MASK}, the most the order holds")
        if cable_id >= len(facts.order):
            grow(facts, cable_id + 1)
        facts.sender[cable_id] = sender_id or 0
        facts.label[cable_id] = label_index.get(classification, 0)
        facts.pair[cable_id] = facts.sender[cable_id] << LABEL_BITS | facts.label[cable_id]
        facts.year[cable_id] = year or 0
        facts.month[cable_id] = month or 0
        facts.order[cable_id] = order
        facts.tags[cable_id] = ()  # its tags, if any, are read next (fill_tags)


def grow(facts: Facts, size: int) -> None:
    """Lengthen every array of ``facts`` to ``size``, with zeros (and no tags)."""
    more = size - len(facts.order)
    for values in (*arrays(facts), facts.order):
        values.extend(array(values.typecode, bytes(more * values.itemsize)))
    facts.tags.extend([()] * more)


def tags_of(cable_tags) -> list[list]:
    """Pairs of [cable id, its tag ids] over ``cable_tags`` (CableTag rows). One query,
    whose one row holds them all as JSON: fetching a million rows through a cursor costs
    far more than decoding one array."""
    rows = cable_tags.order_by().values_list("cable_id", "tag_id")
    sql, params = rows.query.sql_with_params()
    if connection.vendor == "sqlite":
        sql = (
            "SELECT json_group_array(json_array(cable_id, json(tags))) FROM (SELECT"
            f" cable_id, json_group_array(tag_id) AS tags FROM ({sql}) GROUP BY cable_id)"
        )
    else:
        sql = (
            "SELECT json_agg(json_build_array(cable_id, tags)) FROM (SELECT cable_id,"
            f" json_agg(tag_id) AS tags FROM ({sql}) AS rows GROUP BY cable_id) AS cables"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pairs = cursor.fetchone()[0]
    if isinstance(pairs, str):  # SQLite's JSON is text; psycopg reads it
        pairs = json.loads(pairs)
    return pairs or []


def fill_tags(facts: Facts, pairs) -> None:
    """Write pairs of ``tags_of()`` into ``facts.tags``, one tuple per cable; equal tag
    ids share one int object (a million tags, a few thousand of them distinct)."""
    same = {}
    for cable_id, tag_ids in pairs:
        if cable_id >= len(facts.order):
            grow(facts, cable_id + 1)  # a cable written since its facts were read
        facts.tags[cable_id] = tuple([same.setdefault(tag, tag) for tag in tag_ids])


def year_start(year: int) -> int:
    """The first place in date order (see ID_BITS) of a cable dated in ``year``."""
    return (calendar.timegm((year, 1, 1, 0, 0, 0)) + SINCE_1000) << ID_BITS


def arrays(facts: Facts) -> tuple:
    return facts.sender, facts.label, facts.pair, facts.year, facts.month


def latest_update():
    return Cable.objects.order_by().aggregate(value=Max("updated_at"))["value"]


def load(key: tuple) -> Facts:
    """Read every cable's facts: one query of the narrow ``cable_facts`` index."""
    size = key[1] + 1
    facts = Facts(
        key,
        latest_update(),
        array("i", bytes(4 * size)),
        array("b", bytes(size)),
        array("i", bytes(4 * size)),
        array("h", bytes(2 * size)),
        array("b", bytes(size)),
        array("q", bytes(8 * size)),
        [()] * size,
    )
    fill(facts, facts_of(Cable.objects.all()))
    fill_tags(facts, tags_of(CableTag.objects.all()))
    return facts


def refreshed(facts: Facts, key: tuple) -> Facts:
    """``facts`` with the cables written since they were read read again, in copies of
    the arrays (a page being built may still hold the old ones)."""
    seen_until = latest_update()
    if facts.seen_until is None or seen_until is None or seen_until < facts.seen_until:
        return load(key)  # the newest write is older than one already read: a restore
    fresh = replace(
        facts,
        key=key,
        seen_until=seen_until,
        sender=array("i", facts.sender),
        label=array("b", facts.label),
        pair=array("i", facts.pair),
        year=array("h", facts.year),
        month=array("b", facts.month),
        order=array("q", facts.order),
        tags=list(facts.tags),
    )
    since = facts.seen_until - MARGIN[connection.vendor]
    fill(fresh, facts_of(Cable.objects.filter(updated_at__gt=since)))
    fill_tags(fresh, tags_of(CableTag.objects.filter(cable__updated_at__gt=since)))
    return fresh


def reload() -> Facts:
    """Read the arrays afresh: a page met a cable they do not hold."""
    global _loaded
    with _lock, paused():
        _loaded = load(archive_key())
        return _loaded


def warm() -> None:
    """Read the arrays before any page asks for them, so that no reader waits for them:
    called once per gunicorn worker as it starts (archive/wsgi.py). A database that
    cannot be read yet (not migrated, not reachable) is logged and left for the first
    page to report (whatever went wrong: the worker must still start, and the first list
    page raises it again, as a server error with its traceback logged)."""
    try:
        current()
    except Exception:  # noqa: BLE001 - a worker that cannot read them still serves
        logger.exception("The cables' facts were not read at start")


def forget() -> None:
    """Drop the arrays: the next page reads them afresh."""
    global _loaded
    _loaded = None
