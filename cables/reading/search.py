"""Full-text search over cable subjects and paragraphs: one interface, two engines.

The engine is chosen by the database in use (``connection.vendor``):

* **SQLite**: two FTS5 tables with *external content*, so the text is stored once,
  in the model tables. ``cables_paragraph_fts`` indexes each paragraph (its heading
  and text) under the paragraph's *search key*, ``cable_id * 4096 + position`` (a
  virtual generated column of ``cables_paragraph``, with a unique index): a match's
  cable is its rowid shifted right by 12 bits, with no lookup, and a cable's paragraphs
  are one range of rowids. ``cables_subject_fts`` indexes each cable's subject (rowid =
  the cable's id). Triggers made by migration ``0004_search``
  (``search_index.SQLITE_SCHEMA``) keep both in step with every insert, update and delete,
  so the importer and any reparse keep them current without knowing about them;
  ``manage.py rebuild_search_index`` rebuilds both in bulk after a large load. The
  schema, and pausing and rebuilding the index, are in ``search_index.py``.
* **PostgreSQL**: stored generated ``tsvector`` columns, ``cables_paragraph.search_vector``
  and ``cables_cable.subject_vector``, each with a GIN index.

Both engines use plain word tokens without stemming or stop words (FTS5
``unicode61``, PostgreSQL's ``simple`` configuration), so a phrase matches exactly
the cables whose text contains it, on either database.

Query syntax (``parse_query``): words, all of which must match; ``"exact phrases"``;
``OR`` between two terms; ``-word`` or ``-"a phrase"`` to exclude; ``merid*`` for a
prefix. Each term (or OR-group of terms) must match the subject or *some* paragraph of
a cable, not necessarily the same one; an exclusion removes every cable that contains
the excluded term anywhere. A query that cannot be read (an unmatched quote, a lone
operator) is searched as plain words, with a note saying so; it never raises.
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, FloatField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..writing.search_index import KEY_BITS, MAX_PARAGRAPHS

WORD = re.compile(r"[^\W_]+")
PARAGRAPH_CABLE = f"(cables_paragraph_fts.rowid >> {KEY_BITS})"
MAX_CLAUSES = 16
# Markers put around matched words by the engines; the text is escaped, then they
# become <mark>. Characters no cable contains.
START, STOP = "\u27e6", "\u27e7"
LT, GT = "\ue000", "\ue001"  # < and > as PostgreSQL's ts_headline is given them


@dataclass(frozen=True)
class Term:
    """A word (one entry in ``words``) or a phrase; ``prefix`` makes the last word a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    def __str__(self):
        text = " ".join(self.words) + ("*" if self.prefix else "")
        return f'"{text}"' if len(self.words) > 1 else text


@dataclass(frozen=True)
class Clause:
    """Terms joined by OR; a negated clause excludes cables that match it."""

    terms: tuple[Term, ...]
    negated: bool = False


@dataclass
class Query:
    text: str = ""
    clauses: list[Clause] = field(default_factory=list)
    note: str = ""  # set when the query was read differently from how it was written

    def __bool__(self):
        return any(not clause.negated for clause in self.clauses)

    @property
    def positive_terms(self) -> list[Term]:
        return [term for clause in self.clauses if not clause.negated for term in clause.terms]


class QuerySyntaxError(ValueError):
    pass


def term_from(token: str, phrase: bool = False) -> Term | None:
    prefix = token.endswith("*") and not phrase
    words = tuple(word.lower() for word in WORD.findall(token.rstrip("*") if prefix else token))
    if phrase and token.rstrip().endswith("*"):
        prefix = True
    return Term(words, prefix) if words else None


def tokens(text: str) -> list:
    """Split a query into Terms, ("-", Term) exclusions and the operator "OR"."""
    result, position = [], 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        negated = text[position] == "-"
        start = position + 1 if negated else position
        if start < len(text) and text[start] == '"':
            end = text.find('"', start + 1)
            if end == -1:
                raise QuerySyntaxError("a quote is not closed")
            inner = text[start + 1 : end]
            position = end + 1
            if position < len(text) and text[position] == "*":
                inner, position = inner + "*", position + 1
            term = term_from(inner, phrase=True)
        else:
            end = start
            while end < len(text) and not text[end].isspace() and text[end] != '"':
                end += 1
            word, position = text[start:end], end
            if word == "OR" and not negated:
                result.append("OR")
                continue
            if word == "*" or (word.startswith("*") and word.strip("*")):
                raise QuerySyntaxError(f"“{word}” is not a word")
            term = term_from(word)
            if term is None and (negated or word.strip("*") == ""):
                raise QuerySyntaxError(f"“{'-' if negated else ''}{word}” has no word to search")
        if term is not None:
            result.append(("-", term) if negated else term)
    return result


def clauses_from(items: list) -> list[Clause]:
    clauses: list[Clause] = []
    pending_or = False
    for item in items:
        if item == "OR":
            if not clauses or clauses[-1].negated or pending_or:
                raise QuerySyntaxError("OR needs a term on each side")
            pending_or = True
        elif isinstance(item, tuple):
            if pending_or:
                raise QuerySyntaxError("an exclusion cannot be one side of an OR")
            clauses.append(Clause((item[1],), negated=True))
        elif pending_or:
            clauses[-1] = Clause((*clauses[-1].terms, item))
            pending_or = False
        else:
            clauses.append(Clause((item,)))
    if pending_or:
        raise QuerySyntaxError("OR needs a term on each side")
    return clauses


def parse_query(text: str | None) -> Query:
    """Read a researcher's query; never raises (see the module docstring)."""
    text = (text or "").strip()
    if not text:
        return Query()
    try:
        clauses = clauses_from(tokens(text))
    except QuerySyntaxError as error:
        words = [word.lower() for word in WORD.findall(text) if word != "OR"]
        words = list(dict.fromkeys(words))[:MAX_CLAUSES]
        query = Query(text, [Clause((Term((word,)),)) for word in words])
        query.note = (
            f"The search could not be read as written ({error}), so it looks for cables "
            f"with all of these words: {' '.join(words)}."
            if words
            else f"The search could not be read as written ({error}) and has no words."
        )
        return query
    query = Query(text, clauses[:MAX_CLAUSES])
    if len(clauses) > MAX_CLAUSES:
        query.note = f"Only the first {MAX_CLAUSES} terms of the search were used."
    if clauses and not query:
        query.note = "A search needs a word to look for; exclusions alone are ignored."
        query.clauses = []
    return query


# --- rendering for each engine -------------------------------------------------------


def fts5_term(term: Term) -> str:
    return f'"{" ".join(term.words)}"' + ("*" if term.prefix else "")


def fts5_terms(terms) -> str:
    """FTS5 MATCH syntax for terms joined by OR. Words are [^\\W_]+, so quoting is safe."""
    return " OR ".join(fts5_term(term) for term in terms)


def tsquery_term(term: Term) -> str:
    lexemes = [f"'{word}'" for word in term.words]
    if term.prefix:
        lexemes[-1] += ":*"
    return "(" + " <-> ".join(lexemes) + ")"


def tsquery_terms(terms) -> str:
    return " | ".join(tsquery_term(term) for term in terms)


def cables_matching_sql(terms, union: str = "UNION ALL") -> tuple[str, list]:
    """SQL for the ids (column ``id``) of cables whose subject or some paragraph matches
    any of ``terms``; with ``union="UNION"``, without duplicates.

    No table aliases, so EXPLAIN QUERY PLAN names every table it scans."""
    if connection.vendor == "postgresql":
        query = tsquery_terms(terms)
        sql = (
            "SELECT cables_paragraph.cable_id AS id FROM cables_paragraph"
            " WHERE cables_paragraph.search_vector @@ to_tsquery('simple', %s)"
            f" {union} SELECT cables_cable.id FROM cables_cable"
            " WHERE cables_cable.subject_vector @@ to_tsquery('simple', %s)"
        )
        return sql, [query, query]
    match = fts5_terms(terms)
    # Each match's cable is in its rowid (the search key): for a word in a third of the
    # cables, nothing is read but the index.
    sql = (
        f"SELECT {PARAGRAPH_CABLE} AS id FROM cables_paragraph_fts"
        " WHERE cables_paragraph_fts MATCH %s"
        f" {union} SELECT cables_subject_fts.rowid FROM cables_subject_fts"
        " WHERE cables_subject_fts MATCH %s"
    )
    return sql, [match, match]


def matching_ids_sql(query: Query) -> tuple[str, list]:
    """SQL for the ids (column ``id``, each once) of the cables that match ``query``,
    from the search index alone: each clause's cables, intersected, less the excluded.
    (The cable table is left out when the search is the only filter: it adds nothing,
    and joining it would look up every matching cable.)"""
    parts, params = [], []
    for clause in sorted(query.clauses, key=lambda clause: clause.negated):  # exclusions last
        sql, clause_params = cables_matching_sql(clause.terms, union="UNION")
        operator = "" if not parts else "EXCEPT " if clause.negated else "INTERSECT "
        parts.append(f"{operator}SELECT matched.id FROM ({sql}) AS matched")
        params += clause_params
    return " ".join(parts), params


def filter_cables(queryset, query: Query):
    """``queryset`` narrowed to the cables that match ``query``: one subquery per clause.
    (``IN`` makes the subquery's rows an ephemeral index, so its UNION ALL need not drop
    duplicates itself, which spares a pass over every match of a common word.)"""
    for clause in query.clauses:
        sql, params = cables_matching_sql(clause.terms)
        if clause.negated:
            queryset = queryset.exclude(id__in=RawSQL(sql, params))
        else:
            queryset = queryset.filter(id__in=RawSQL(sql, params))
    return queryset


def paragraphs_matching(query: Query, limit: int) -> int:
    """How many paragraphs match any positive term of ``query``, counted up to ``limit``.
    One query."""
    if not query:
        return 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM cables_paragraph"
                " WHERE search_vector @@ to_tsquery('simple', %s) LIMIT %s) AS found",
                [tsquery_terms(query.positive_terms), limit],
            )
            return cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM cables_paragraph_fts"
            " WHERE cables_paragraph_fts MATCH %s LIMIT %s)",
            [fts5_terms(query.positive_terms), limit],
        )
        return cursor.fetchone()[0]


# SQLite's scores for a MATCH (bm25's rank is negative, lower is better): each cable's
# best paragraph, and each cable's subject; (cable_id, score) rows, one MATCH each.
PARAGRAPH_SCORES = (
    f"SELECT {PARAGRAPH_CABLE} AS cable_id, -MIN(cables_paragraph_fts.rank) AS score"
    " FROM cables_paragraph_fts WHERE cables_paragraph_fts MATCH %s"
    f" GROUP BY {PARAGRAPH_CABLE}"
)
SUBJECT_SCORES = (
    "SELECT cables_subject_fts.rowid AS cable_id, -cables_subject_fts.rank AS score"
    " FROM cables_subject_fts WHERE cables_subject_fts MATCH %s"
)


def relevance(query: Query, paragraphs: bool = True):
    """An expression scoring a cable for ``query``, higher is better: its best paragraph's
    score plus twice its subject's (``paragraphs=False``: its subject's alone). Used only
    to order the (already filtered) results."""
    terms = query.positive_terms
    if connection.vendor == "postgresql":
        tsquery = tsquery_terms(terms)
        paragraph = RawSQL(
            "SELECT MAX(ts_rank(cables_paragraph.search_vector, to_tsquery('simple', %s)))"
            " FROM cables_paragraph WHERE cables_paragraph.cable_id = cables_cable.id"
            " AND cables_paragraph.search_vector @@ to_tsquery('simple', %s)",
            [tsquery, tsquery],
            output_field=FloatField(),
        )
        subject = RawSQL(
            "ts_rank(cables_cable.subject_vector, to_tsquery('simple', %s))",
            [tsquery],
            output_field=FloatField(),
        )
    else:
        match = fts5_terms(terms)
        # rank (bm25) is negative, lower is better. The inner query does not depend on
        # the outer row, so SQLite runs the MATCH once, materializes the best score of
        # each cable and looks each cable up in it (a correlated MATCH would rerun the
        # full-text query for every cable: seconds for a common word).
        paragraph = RawSQL(
            f"SELECT best.score FROM ({PARAGRAPH_SCORES}) AS best"
            " WHERE best.cable_id = cables_cable.id",
            [match],
            output_field=FloatField(),
        )
        # Likewise for subjects (a MATCH for each cable would take seconds for a common
        # word).
        subject = RawSQL(
            f"SELECT titled.score FROM ({SUBJECT_SCORES}) AS titled"
            " WHERE titled.cable_id = cables_cable.id",
            [match],
            output_field=FloatField(),
        )
    zero = Value(0.0, output_field=FloatField())
    if not paragraphs:
        return Coalesce(subject, zero) * 2
    return Coalesce(paragraph, zero) + Coalesce(subject, zero) * 2


def scores(query: Query, paragraphs: bool = True) -> dict[int, float]:
    """Each matching cable's relevance, as ``relevance()`` scores it (its best paragraph's
    score plus twice its subject's; ``paragraphs=False``: its subject's alone), by cable
    id; only scores above zero. One MATCH (or tsquery) of each table, two queries."""
    if connection.vendor == "postgresql":
        tsquery = tsquery_terms(query.positive_terms)
        paragraph_sql = (
            "SELECT cables_paragraph.cable_id,"
            " MAX(ts_rank(cables_paragraph.search_vector, to_tsquery('simple', %s)))"
            " FROM cables_paragraph"
            " WHERE cables_paragraph.search_vector @@ to_tsquery('simple', %s)"
            " GROUP BY cables_paragraph.cable_id"
        )
        subject_sql = (
            "SELECT cables_cable.id, ts_rank(cables_cable.subject_vector,"
            " to_tsquery('simple', %s)) FROM cables_cable"
            " WHERE cables_cable.subject_vector @@ to_tsquery('simple', %s)"
        )
        params = [tsquery, tsquery]
    else:
        paragraph_sql, subject_sql = PARAGRAPH_SCORES, SUBJECT_SCORES
        params = [fts5_terms(query.positive_terms)]
    found: dict[int, float] = {}
    with connection.cursor() as cursor:
        if paragraphs:
            cursor.execute(paragraph_sql, params)
            found.update(cursor.fetchall())
        cursor.execute(subject_sql, params)
        for cable_id, score in cursor.fetchall():
            found[cable_id] = found.get(cable_id, 0.0) + 2 * score
    return {cable_id: score for cable_id, score in found.items() if score > 0}


def order_by_relevance(queryset, query: Query, paragraphs: bool = True):
    return queryset.annotate(relevance=relevance(query, paragraphs)).order_by(
        F("relevance").desc(), F("date").desc(nulls_last=True), "-id"
    )


@dataclass
class Snippet:
    anchor: str
    label: str  # ¶3, or "Unnumbered text"
    html: str  # escaped text with <mark>ed matches


def key_range(cable_id: int) -> tuple[int, int]:
    """The first and last search key a cable's paragraphs can have (SQLite)."""
    return cable_id << KEY_BITS, (cable_id << KEY_BITS) + MAX_PARAGRAPHS


def highlighted(text: str) -> str:
    text = text.replace(LT, "<").replace(GT, ">")
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))


def snippets(query: Query, cable_ids) -> dict[int, Snippet]:
    """For each cable, its best matching paragraph, with the matches marked. One query.

    Best: PostgreSQL's ts_rank; on SQLite, the paragraph whose snippet marks the most
    matches, the first of equals (bm25 would count a phrase's matches in the whole
    archive first, on every page of a common phrase)."""
    cable_ids = list(cable_ids)
    if not query or not cable_ids:
        return {}
    if connection.vendor == "postgresql":
        placeholders = ", ".join(["%s"] * len(cable_ids))
        sql = (
            "SELECT DISTINCT ON (cables_paragraph.cable_id) cables_paragraph.cable_id,"
            " cables_paragraph.anchor, cables_paragraph.number,"
            # ts_headline reads its text as HTML and drops what looks like a tag;
            # angle brackets go in as private-use characters and come back out.
            f" ts_headline('simple', translate(cables_paragraph.text, '<>', '{LT}{GT}'),"
            " to_tsquery('simple', %s),"
            f" 'StartSel={START}, StopSel={STOP}, MaxWords=40, MinWords=20, MaxFragments=2,"
            ' FragmentDelimiter=" … "\')'
            " FROM cables_paragraph"
            f" WHERE cables_paragraph.cable_id IN ({placeholders})"
            " AND cables_paragraph.search_vector @@ to_tsquery('simple', %s)"
            " ORDER BY cables_paragraph.cable_id,"
            " ts_rank(cables_paragraph.search_vector, to_tsquery('simple', %s)) DESC,"
            " cables_paragraph.position"
        )
        tsquery = tsquery_terms(query.positive_terms)
        params = [tsquery, *cable_ids, tsquery, tsquery]
    else:
        # Each cable's paragraphs are one range of search keys: one seek of the index per
        # cable, where a lookup per paragraph (MATCH with rowid = ?) would run a full-text
        # query for every paragraph of the page.
        ranges = ", ".join(["(%s, %s)"] * len(cable_ids))
        sql = (
            "SELECT cables_paragraph.cable_id, cables_paragraph.anchor, cables_paragraph.number,"
            f" snippet(cables_paragraph_fts, -1, '{START}', '{STOP}', ' … ', 40)"
            f" FROM (VALUES {ranges}) AS cable_keys"
            " CROSS JOIN cables_paragraph_fts"
            " ON cables_paragraph_fts.rowid >= cable_keys.column1"
            " AND cables_paragraph_fts.rowid <= cable_keys.column2"
            " CROSS JOIN cables_paragraph"
            " ON cables_paragraph.search_key = cables_paragraph_fts.rowid"
            " WHERE cables_paragraph_fts MATCH %s"
            " ORDER BY cables_paragraph_fts.rowid"
        )
        params = [
            *(key for cable_id in cable_ids for key in key_range(cable_id)),
            fts5_terms(query.positive_terms),
        ]
    found: dict[int, Snippet] = {}
    marks: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for cable_id, anchor, number, text in cursor.fetchall():
            # Rows come best first on PostgreSQL; on SQLite in order, counted here.
            count = text.count(START) if connection.vendor == "sqlite" else 0
            if cable_id not in found or count > marks[cable_id]:
                label = f"¶{number}" if number else "Unnumbered text"
                found[cable_id] = Snippet(anchor, label, highlighted(text))
                marks[cable_id] = count
    return found
