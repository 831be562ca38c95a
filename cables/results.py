"""The cables of one list page, worked out once per request.

A list page asks one set of cables many questions: how many, which fifty come first, and
four facets, two of them over the set widened by their own selection (see facets.py).
Asked of the filters each time, every question on SQLite would run each tag subquery
and full-text MATCH again and read the cables' wide rows, which hold their raw text: a
word in a third of the cables took seconds.

So on SQLite the widest set any question needs (every filter but the sender and
classification selections) is written once into a temporary table, ``list_results``
(the ``ListResult`` model), holding only what the questions read: id, sender,
classification, date and, when sorting by it, relevance, taken from the narrow
``cable_facts`` index rather than the rows. Each question is then a query of that table.
The table belongs to the request's connection, and is emptied by the next request.

PostgreSQL plans the same questions well from the filters themselves; there the sets
are the filters' querysets. Either way the page is found as ids first, then only its
fifty rows are read.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, QuerySet

from . import search
from .models import Cable, ListResult

FACTS_INDEX = "cable_facts"  # see Cable.Meta.indexes
DATE_INDEX = "cable_date"
DATE_FACTS_INDEX = "cable_date_facts"
# Above this many cables, the newest are found by walking the date index and keeping
# the cables of the set, rather than by sorting the whole set.
WALK_FROM = 2000
# Ranking scores every matching paragraph (bm25): a common word matches 100,000 of them,
# half a second. Above this many, the ranking is by subject, then newest (the note says).
RANK_PARAGRAPHS_UP_TO = 20_000
RANKED_BY_SUBJECT = (
    f"This search matches more than {RANK_PARAGRAPHS_UP_TO:,} paragraphs, too many to rank "
    "by their text: the most relevant are the cables whose subject matches it, then the "
    "newest. Add words to rank by the text."
)

CREATE_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS list_results (id integer PRIMARY KEY,"
    " sender_id integer, classification varchar(40), date datetime,"
    " relevance real NOT NULL DEFAULT 0)"
)


@dataclass
class ResultSet:
    """The list's cables (``results``) and the two widened sets the sender and
    classification facets count over; querysets of Cable or of ListResult."""

    results: QuerySet
    without_sender: QuerySet
    without_classification: QuerySet
    materialized: bool = False
    note: str = ""  # how "most relevant" was ranked, when not by the whole text
    rank_by_text: bool = True

    def ordered_ids(self, sort: str, query=None, count: int | None = None) -> QuerySet:
        """The ids of the results in the list's order (a queryset to slice a page of)."""
        results = self.results.order_by()
        if sort == "relevance":
            if not self.materialized:
                results = search.order_by_relevance(results, query, self.rank_by_text)
            else:
                results = results.order_by(
                    F("relevance").desc(nulls_last=True), F("date").desc(nulls_last=True), "-id"
                )
        elif sort == "oldest":
            results = results.order_by(F("date").asc(nulls_last=True), "id")
        else:
            results = results.order_by(F("date").desc(nulls_last=True), "-id")
        ids = results.values_list("id", flat=True)
        if (
            connection.vendor == "sqlite"
            and not self.materialized
            and sort != "relevance"
            and count is not None
            and count > WALK_FROM
        ):
            return WalkedIds(ids)
        return ids


class WalkedIds:
    """A slice of ids read along the date index (SQLite): for a set of many cables
    (one common tag: 90,000), the first fifty in date order are found after a few
    hundred steps, where fetching and sorting the set reads all of it."""

    def __init__(self, ids: QuerySet):
        self.ids = ids

    def count(self) -> int:
        return self.ids.count()

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


def result_set(filterset, query, sort: str, stored: bool) -> ResultSet:
    """The sets a list page counts, pages and facets over. ``stored``: the facets and the
    count come from stored counts (summaries.py), so only the page is needed."""
    senders = filterset.cleaned("sender", [])
    labels = filterset.cleaned("classification", [])
    by_text = True
    if sort == "relevance" and query:
        matching = search.paragraphs_matching(query, RANK_PARAGRAPHS_UP_TO + 1)
        by_text = matching <= RANK_PARAGRAPHS_UP_TO
    note = "" if by_text else RANKED_BY_SUBJECT
    if connection.vendor != "sqlite" or stored:
        return ResultSet(
            filterset.qs,
            filterset.qs_without("sender"),
            filterset.qs_without("classification"),
            note=note,
            rank_by_text=by_text,
        )
    widest = filterset.qs_without("sender", "classification").order_by()
    columns = ["id", "sender_id", "classification", "date"]
    # Both indexes hold every column read: a date range is a stretch of the date index;
    # cables chosen by id (a tag's, a search's) are looked up in the facts index.
    date_range = filterset.cleaned("date")
    dated = date_range and (date_range.start or date_range.stop)
    index = DATE_FACTS_INDEX if dated else FACTS_INDEX
    sql, params = indexed_by(widest.values_list(*columns), index)
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
        cursor.execute("DELETE FROM temp.list_results")
        cursor.execute(f"INSERT INTO temp.list_results ({', '.join(columns)}) {sql}", params)
    if sort == "relevance" and query:
        search.rank_into("temp.list_results", query, paragraphs=by_text)
    rows = ListResult.objects.all()
    with_senders = rows.filter(sender__in=senders) if senders else rows
    return ResultSet(
        results=with_senders.filter(classification__in=labels) if labels else with_senders,
        without_sender=rows.filter(classification__in=labels) if labels else rows,
        without_classification=with_senders,
        materialized=True,
        note=note,
    )
