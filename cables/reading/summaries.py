"""Facet counts worked out ahead of time, for the views that count over the most cables.

The whole archive, or all the cables of one tag, one sender, one classification or one
year: these views count over up to every cable, and a GROUP BY over 250,000 cables and
a million tag rows takes far longer than a page may. So ``refresh()`` (run by
``import_cables`` and the admin's upload after they write, or by ``manage.py
refresh_summaries``) counts every facet of each such *scope* once and stores the counts
in ``FacetCount``; the list page reads them in a few indexed queries.

The stored counts are used only while they describe the cables as they are now: each
refresh records a fingerprint of the cable table (how many cables, the highest id, the
latest ``updated_at``), and a page compares it with the live one. Any insert, update or
delete changes the fingerprint, so after a write and before the next refresh, pages
count live (slower, never wrong).

Scopes (``FacetCount.scope`` and ``scope_value``): ``("", "")`` the whole archive;
``("tag", code)``, ``("sender", slug)``, ``("classification", label)``, ``("year",
"2008")``. Facets in each: ``tag`` (value: code), ``sender`` (slug), ``classification``,
``year``, ``month`` (in a year's scope only: "1" … "12") and ``total`` (value ""); in
the whole archive's scope also ``paragraphs`` and ``partial`` (value ""): its paragraphs
and its partial extracts, for the About page (a paragraph changes only with its cable,
so the fingerprint covers them too).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC

from django.db import connection, transaction
from django.db.models import Max

from ..models import Cable, CableTag, FacetCount, Paragraph, Sender, SummaryFingerprint, Tag

SCOPES = ("tag", "sender", "classification", "year")

# Counts of the whole archive's scope that are not of cables by a facet's value, each
# with how it is counted live: stored by refresh(), counted so by archive_counts() when
# none is stored.
ARCHIVE_COUNTS = {
    "paragraphs": lambda: Paragraph.objects.order_by().count(),
    "partial": lambda: Cable.objects.order_by().filter(is_partial=True).count(),
}


def live_fingerprint() -> tuple[int, int, str]:
    """(cables, highest id, latest update) of the cable table. Three queries, each
    answered from an index alone (together in one, SQLite would read every row)."""
    cables = Cable.objects.order_by().count()
    last_id = Cable.objects.order_by().aggregate(value=Max("id"))["value"] or 0
    last_update = Cable.objects.order_by().aggregate(value=Max("updated_at"))["value"]
    return cables, last_id, last_update.astimezone(UTC).isoformat() if last_update else ""


def forget() -> None:
    """Mark the stored counts stale, so pages count live until the next refresh: they
    are kept under each tag's code and each sender's slug, and one of those changed."""
    SummaryFingerprint.objects.filter(pk=1).delete()


def is_current() -> bool:
    """Whether the stored counts describe the cables as they are now. Four queries."""
    stored = SummaryFingerprint.objects.filter(pk=1).first()
    if stored is None:
        return False
    return (stored.cables, stored.last_id, stored.last_update) == live_fingerprint()


def count_everything() -> Counter:
    """Every (scope, scope value, facet, value) count, from one pass over the cables
    and one over their tags."""
    senders = dict(Sender.objects.values_list("id", "slug"))
    tags = dict(Tag.objects.values_list("id", "code"))
    facts = {}
    counts: Counter = Counter()
    for name, count in ARCHIVE_COUNTS.items():
        counts[("", "", name, "")] = count()
    rows = Cable.objects.order_by().values_list("id", "sender_id", "classification", "date")
    for cable_id, sender_id, classification, date in rows.iterator(chunk_size=5000):
        date = date.astimezone(UTC) if date else None
        own = [("sender", senders[sender_id]) if sender_id else None]
        own.append(("classification", classification) if classification else None)
        own.append(("year", str(date.year)) if date else None)
        own = [pair for pair in own if pair]
        facts[cable_id] = (own, date)
    cable_tags: dict[int, list[tuple[str, str]]] = {}
    for cable_id, tag_id in (
        CableTag.objects.order_by().values_list("cable_id", "tag_id").iterator(chunk_size=20000)
    ):
        cable_tags.setdefault(cable_id, []).append(("tag", tags[tag_id]))
    for cable_id, (own, date) in facts.items():
        values = own + cable_tags.get(cable_id, [])
        for scope in [("", ""), *values]:
            counts[(*scope, "total", "")] += 1
            for facet, value in values:
                counts[(*scope, facet, value)] += 1
            if date and scope[0] == "year":
                counts[(*scope, "month", str(date.month))] += 1
    return counts


def refresh() -> int:
    """Count every scope again and store the counts with the fingerprint they describe;
    returns how many counts were stored. Readers see the old counts or the new ones."""
    with transaction.atomic():
        # Under the write lock (SQLite: IMMEDIATE), so no import changes the cables
        # between the fingerprint and the counts.
        SummaryFingerprint.objects.filter(pk=1).delete()
        cables, last_id, last_update = live_fingerprint()
        counts = count_everything()
        FacetCount.objects.all().delete()
        tag_ids = dict(Tag.objects.values_list("code", "id"))
        sender_ids = dict(Sender.objects.values_list("slug", "id"))
        rows = []
        for (scope, scope_value, facet, value), count in counts.items():
            rows.append(
                (
                    scope,
                    scope_value,
                    facet,
                    value,
                    count,
                    tag_ids.get(value) if facet == "tag" else None,
                    sender_ids.get(value) if facet == "sender" else None,
                )
            )
        columns = ("scope", "scope_value", "facet", "value", "count", "tag_id", "sender_id")
        table = connection.ops.quote_name(FacetCount._meta.db_table)
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)})"
            f" VALUES ({', '.join(['%s'] * len(columns))})"
        )
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 10000):
                cursor.executemany(sql, rows[start : start + 10000])
        SummaryFingerprint.objects.create(
            pk=1, cables=cables, last_id=last_id, last_update=last_update
        )
    return len(rows)


@dataclass(frozen=True)
class Scope:
    """Which stored counts a facet reads: ``name`` "" is the whole archive."""

    name: str = ""
    value: str = ""

    def counts(self):
        return FacetCount.objects.filter(scope=self.name, scope_value=self.value)

    def tag_counts(self):
        """The stored count of each tag (of a tag still in the archive) in the scope."""
        return self.counts().filter(facet="tag", tag__isnull=False)

    def sender_counts(self):
        """The stored count of each sender (still in the archive) in the scope."""
        return self.counts().filter(facet="sender", sender__isnull=False)

    def total(self) -> int:
        """How many cables the scope holds. One query."""
        return self.counts().filter(facet="total").values_list("count", flat=True).first() or 0


def archive_counts() -> dict[str, int]:
    """How many paragraphs and partial extracts the archive holds (``ARCHIVE_COUNTS``):
    stored while current, else counted live (also each one an older refresh did not
    store). Five queries when stored; counted live, the paragraphs are millions of rows
    read on every About page."""
    counts = {}
    if is_current():
        stored = Scope().counts().filter(facet__in=list(ARCHIVE_COUNTS))
        counts = dict(stored.values_list("facet", "count"))
    for name, count in ARCHIVE_COUNTS.items():
        if name not in counts:
            counts[name] = count()
    return counts


def scope_of(tags, senders, labels, year: int | None, other_filters: bool) -> Scope | None:
    """The scope whose stored counts equal the live counts of these filters, if any:
    none, or exactly one tag, one sender, one classification or one whole year."""
    if other_filters:
        return None
    chosen = [
        *(("tag", tag.code) for tag in tags),
        *(("sender", sender.slug) for sender in senders),
        *(("classification", label) for label in labels),
        *((("year", str(year)),) if year is not None else ()),
    ]
    if len(chosen) > 1:
        return None
    return Scope(*chosen[0]) if chosen else Scope()
