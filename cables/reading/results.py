"""The cables of one list page, worked out once per request.

A list page asks one set of cables many questions: how many, which fifty come first, and
four facets, two of them over the set widened by their own selection (see facets.py).
Asked of the database one by one, each question would read the set again: for a word in
a third of the archive, tens of thousands of cables read once per question, and on
PostgreSQL the search itself run once per question.

So the database is asked one question: the ids of the widest set any question needs
(every filter but the sender and classification selections), read from a narrow index.
The rest is worked out from cables/reading/facts.py's arrays, which hold every cable's sender,
classification, year, month, place in date order and tags: the sender and classification
selections, the count, the order of the list, and the facets, each a pass over the ids in
C (``itemgetter`` over an ``array``, ``Counter``; the tags over at most
``facets.TAG_COUNT_CAP`` ids). "Most relevant" reads the search's scores once.

Lists whose counts are stored (summaries.py: no filter, or one tag, sender,
classification or year) need only their page: ``stored_ids``.
"""

import json
from bisect import bisect_left
from collections import Counter
from itertools import chain, islice
from operator import itemgetter

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from ..models import Cable
from ..writing import search_index
from . import facts as cable_facts
from . import search
from .facts import ID_BITS, ID_MASK, LABEL_BITS, LABEL_MASK, LABELS, year_start

FACTS_INDEX = "cable_facts"  # see Cable.Meta.indexes
DATE_INDEX = "cable_date"
DATE_FACTS_INDEX = "cable_date_facts"
# Above this many cables, the newest are found by walking the date index and keeping
# the cables of the set, rather than by sorting the whole set.
WALK_FROM = 2000
# Ranking scores every matching paragraph (bm25): a common word matches a hundred
# thousand of them, too many to score within a page's time. Above this many paragraphs
# (or cables), the ranking is by subject, then newest (the note says).
RANK_PARAGRAPHS_UP_TO = 20_000
RANKED_BY_SUBJECT = (
    f"This search matches more than {RANK_PARAGRAPHS_UP_TO:,} paragraphs or cables, too many "
    "to rank by their text: the most relevant are the cables whose subject matches it, "
    "then the newest. Add words to rank by the text."
)


def values_at(values, ids: list[int]):
    """``values[i]`` for each of ``ids``, in one C call (``itemgetter``), which does less
    per id than ``map(values.__getitem__, ids)``: lists hold tens of thousands of ids."""
    if len(ids) < 2:  # itemgetter of one item gives the item, not a tuple
        return [values[i] for i in ids]
    return itemgetter(*ids)(values)


class ResultSet:
    """The list's cables (``results``) and the two widened sets the sender and
    classification facets count over (``without_sender``, ``without_classification``),
    as lists of ids, with what is counted and ordered over them."""

    def __init__(self, facts, widest: list[int], senders=(), labels=(), scores=None, note=""):
        self.facts = facts
        self.scores = scores  # cable id -> relevance (> 0), when sorting by it
        self.note = note  # how "most relevant" was ranked, when not by the whole text
        sender_of, label_of = facts.sender, facts.label
        senders = {sender.id for sender in senders}
        codes = {LABELS.index(label) + 1 for label in labels}
        self.widest = widest
        with_senders = [i for i in widest if sender_of[i] in senders] if senders else widest
        self.without_sender = [i for i in widest if label_of[i] in codes] if codes else widest
        self.without_classification = with_senders
        self.results = [i for i in with_senders if label_of[i] in codes] if codes else with_senders
        self.count = len(self.results)
        self._order = self._pairs = None

    def misses_cables(self) -> bool:
        """Whether some id is not in the arrays: its place, 0, sorts first."""
        if self.results is not self.widest:
            return 0 in values_at(self.facts.order, self.widest)
        order = self.order()
        return bool(order) and order[0] == 0

    def order(self) -> list[int]:
        """The results' places in date order (facts.ID_BITS), ascending: the undated
        first, then the oldest."""
        if self._order is None:
            self._order = sorted(values_at(self.facts.order, self.results))
        return self._order

    def newest(self, limit: int) -> list[int]:
        order = self.order()
        return [place & ID_MASK for place in order[: -limit - 1 : -1]]

    def ordered_ids(self, sort: str):
        """The ids of the results in the list's order (a sequence to slice a page of):
        newest first, oldest first (undated last, either way), or most relevant."""
        order = self.order()
        undated = bisect_left(order, 1 << ID_BITS)
        if sort == "oldest":
            return InOrder(order[undated:] + order[:undated])
        newest_first = order[::-1]
        if sort == "relevance" and self.scores is not None:
            return ByRelevance(self.results, self.scores, self.facts.order, newest_first)
        return InOrder(newest_first)

    def pairs(self) -> Counter:
        """Cables by (sender id, classification code), packed as facts.pair packs them,
        over the results: when nothing narrows either facet, one pass counts both."""
        if self._pairs is None:
            self._pairs = Counter(values_at(self.facts.pair, self.results))
        return self._pairs

    def tag_counts(self, ids: list[int]) -> Counter:
        """Cables by tag id over ``ids`` (the results, or the newest of them)."""
        return Counter(chain.from_iterable(values_at(self.facts.tags, ids)))

    def sender_counts(self) -> Counter:
        """Cables by sender id over the results without the sender selection."""
        if self.without_sender is self.without_classification:
            counts = Counter()
            for pair, count in self.pairs().items():
                counts[pair >> LABEL_BITS] += count
        else:
            counts = Counter(values_at(self.facts.sender, self.without_sender))
        counts.pop(0, None)
        return counts

    def classification_counts(self) -> dict[str, int]:
        """Cables by classification over the results without the classification selection."""
        if self.without_sender is self.without_classification:
            counts = Counter()
            for pair, count in self.pairs().items():
                counts[pair & LABEL_MASK] += count
        else:
            counts = Counter(values_at(self.facts.label, self.without_classification))
        return {LABELS[code - 1]: count for code, count in counts.items() if code}

    def date_counts(self, part: str) -> dict[int, int]:
        """Dated results by year or by month (``part``). Years from the results in date
        order: two binary searches a year."""
        if part == "month":
            counts = Counter(values_at(self.facts.month, self.results))
            counts.pop(0, None)
            return dict(counts)
        order = self.order()
        start = bisect_left(order, 1 << ID_BITS)  # the undated come first
        if start == len(order):
            return {}
        year_of = self.facts.year
        counts = {}
        for year in range(year_of[order[start] & ID_MASK], year_of[order[-1] & ID_MASK] + 1):
            stop = bisect_left(order, year_start(year + 1), start)
            if stop > start:
                counts[year] = stop - start
            start = stop
        return counts


class InOrder:
    """Places in date order (facts.ID_BITS), read as cable ids when sliced: only a
    page's worth."""

    def __init__(self, places: list[int]):
        self.places = places

    def __len__(self):
        return len(self.places)

    def __getitem__(self, page: slice) -> list[int]:
        return [place & ID_MASK for place in self.places[page]]


class ByRelevance:
    """The scored results, best first (equals newest first), then the rest newest first;
    the rest read only as far as the page asked for (a common word's 76,000 cables hold
    a few hundred scored by subject alone)."""

    def __init__(self, results: list[int], scores: dict, order, newest_first: list[int]):
        # Two sorts by C-level keys, not one by a Python function of (score, place), which
        # would run Python code for every id: the second keeps the first's order among
        # equal scores (sorting is stable, reversed too).
        self.scored = [i for i in results if i in scores]
        self.scored.sort(key=order.__getitem__, reverse=True)  # newest first
        self.scored.sort(key=scores.__getitem__, reverse=True)  # best first
        self.scores, self.newest_first, self.total = scores, newest_first, len(results)

    def __len__(self):
        return self.total

    def __getitem__(self, page: slice) -> list[int]:
        stop = self.total if page.stop is None else page.stop
        found = self.scored[:stop]
        if len(found) < stop:
            rest = (place & ID_MASK for place in self.newest_first)
            unscored = (i for i in rest if i not in self.scores)
            found += islice(unscored, stop - len(found))
        return found[page]


def result_set(filterset, query, sort: str) -> ResultSet:
    """The sets a list page counts, pages and facets over (its counts not stored): the
    widest set's ids from the database, one query; the rest in memory."""
    facts = cable_facts.current()
    widest = filterset.qs_without("sender", "classification").order_by().values_list("id")
    date_range = filterset.cleaned("date")
    dated = date_range and (date_range.start or date_range.stop)
    only_search = not (filterset.cleaned("tag") or dated or filterset.cleaned("references"))
    if query and only_search and not search_index.index_paused():
        sql, params = search.matching_ids_sql(query)  # the search alone narrows
    elif connection.vendor == "sqlite":
        # Both indexes hold the id: a date range is a stretch of the date index; cables
        # chosen by id (a tag's, a search's) are looked up in the facts index, never in
        # the wide rows (which hold the raw text).
        sql, params = indexed_by(widest, DATE_FACTS_INDEX if dated else FACTS_INDEX)
    else:
        sql, params = widest.query.sql_with_params()
    # As one array (JSON on SQLite: one value to fetch, not a row per cable through the
    # cursor), with the highest id, which the database finds more cheaply than Python.
    if connection.vendor == "sqlite":
        sql = f"SELECT json_group_array(id), max(id) FROM ({sql})"
    else:
        sql = f"SELECT coalesce(array_agg(id), '{{}}'), max(id) FROM ({sql}) AS widest"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids, last = cursor.fetchone()
    if isinstance(ids, str):
        ids = json.loads(ids)
    last = last or 0
    if last and not facts.knows(last):
        facts = cable_facts.current()  # a cable added since the version was read
    scores, note = None, ""
    if sort == "relevance" and query:
        # Its cables are counted already; its paragraphs only when they might be few.
        by_text = len(ids) <= RANK_PARAGRAPHS_UP_TO and (
            search.paragraphs_matching(query, RANK_PARAGRAPHS_UP_TO + 1) <= RANK_PARAGRAPHS_UP_TO
        )
        note = "" if by_text else RANKED_BY_SUBJECT
        scores = search.scores(query, paragraphs=by_text)
    senders, labels = filterset.cleaned("sender", []), filterset.cleaned("classification", [])
    known = last < len(facts.order)
    sets = ResultSet(facts, ids, senders, labels, scores, note) if known else None
    if sets is None or sets.misses_cables():
        # A cable the arrays do not hold (written while they were read, or missed by
        # their margin): read them afresh, and leave out any id that is no cable.
        facts = cable_facts.reload()
        ids = [cable_id for cable_id in ids if facts.knows(cable_id)]
        sets = ResultSet(facts, ids, senders, labels, scores, note)
    return sets


def id_list(ids) -> RawSQL:
    """A subquery of the ids ``ids`` (of cables, senders…), as one parameter: Django
    prepares each value of an IN list on its own, which for thousands of ids costs more
    than the query."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


def stored_ids(queryset: QuerySet, sort: str, count: int):
    """The ids of a list whose counts are stored, in the list's order (newest or oldest):
    only the page is read, along the date index."""
    if sort == "oldest":
        ids = queryset.order_by(F("date").asc(nulls_last=True), "id")
    else:
        ids = queryset.order_by(F("date").desc(nulls_last=True), "-id")
    ids = ids.values_list("id", flat=True)
    if connection.vendor == "sqlite" and count > WALK_FROM:
        return WalkedIds(ids)
    return ids


class WalkedIds:
    """A slice of ids read along the date index (SQLite): for a set of many cables
    (one common tag: 90,000), the first fifty in date order are found after a few
    hundred steps, where fetching and sorting the set reads all of it."""

    def __init__(self, ids: QuerySet):
        self.ids = ids

    def __getitem__(self, page: slice) -> list[int]:
        sql, params = indexed_by(self.ids[page], DATE_INDEX)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def indexed_by(queryset, index: str) -> tuple[str, list]:
    """The SQL of a queryset of cables, told to read the cable table through ``index``
    (SQLite's INDEXED BY: its planner would read the wide rows instead)."""
    sql, params = queryset.query.sql_with_params()
    table = f'FROM "{Cable._meta.db_table}"'
    return sql.replace(table, f"{table} INDEXED BY {index}", 1), params
