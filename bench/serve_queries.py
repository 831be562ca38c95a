"""The database side of the serving benchmark (``bench/serve_benchmark.py``).

* ``pick_subjects``: concrete values for the benchmark's URLs, found in the database
  itself (a common tag, a tag + sender + classification + year with results, a rare word,
  a word in about 30% of cables, a phrase, a cable of about 30 paragraphs and one of its
  paragraphs), with plain ``sqlite3``: nothing is written to the file.
* ``capture_sql``: the SQL the archive runs for each URL, captured in-process with
  Django's test client and ``CaptureQueriesContext`` against the same file.
* ``time_sql``: that SQL run directly with ``sqlite3`` (same pragmas as the archive's
  connections), timed: what our page's queries cost with no Python, templates or HTTP
  around them. Also used for the *floor* of each view compared with Datasette:
* ``view_floor_sql``: the bare SQL of a faceted view of the cable table, as the issue
  defines the floor: its count, its three facets' GROUP BYs and its page of rows.
* ``explain``: ``EXPLAIN QUERY PLAN`` of captured statements, as indented text.
* ``readers_paths``: some 500 pages of every kind, for a mixed workload spread as
  readers' requests are, not eleven pages asked over and over.
"""

import os
import random
import re
import sqlite3
import sys
import time
import urllib.parse
from pathlib import Path

from latency_stats import median, percentile

# The pragmas archive/settings.py gives every connection (read side only).
PRAGMAS = ("PRAGMA cache_size=-65536", "PRAGMA mmap_size=268435456")
WORD = re.compile(r"^[a-z]{4,}$")


def list_url(**params) -> str:
    """A canonical /cables/ URL of the parameters the benchmark uses, in the order of
    cables.reading.filters.PARAMETERS."""
    order = ("q", "tag", "sender", "classification", "date_after", "date_before", "page", "format")
    pairs = [(name, params[name]) for name in order if params.get(name) not in (None, "")]
    return "/cables/" + ("?" + urllib.parse.urlencode(pairs) if pairs else "")


def connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    for pragma in PRAGMAS:
        connection.execute(pragma)
    return connection


def cables_matching(connection, match: str) -> int:
    """How many cables have ``match`` (FTS5 syntax) in a paragraph or the subject."""
    return connection.execute(
        # A paragraph's rowid in the index is cable_id * 4096 + position (its search key).
        "SELECT count(*) FROM (SELECT cables_paragraph_fts.rowid >> 12 FROM cables_paragraph_fts"
        " WHERE cables_paragraph_fts MATCH ?"
        " UNION SELECT rowid FROM cables_subject_fts WHERE cables_subject_fts MATCH ?)",
        (match, match),
    ).fetchone()[0]


def pick_subjects(path: str, common_share: float = 0.30, budget_s: float = 120) -> dict:
    """Values for the benchmark's URLs, chosen from the data (see the module docstring)."""
    connection = connect(path)
    started = time.monotonic()
    total = connection.execute("SELECT count(*) FROM cables_cable").fetchone()[0]
    found: dict = {"cables": total}

    tag_id, tag_code, tag_count = connection.execute(
        "SELECT tag_id, cables_tag.code, count(*) AS n FROM cables_cabletag"
        " JOIN cables_tag ON cables_tag.id = tag_id GROUP BY tag_id ORDER BY n DESC LIMIT 1"
    ).fetchone()
    found["tag"] = {"code": tag_code, "cables": tag_count}

    # The (sender, classification, year) with the most cables carrying that tag.
    row = connection.execute(
        "SELECT cables_sender.slug, cables_cable.classification,"
        " substr(cables_cable.date, 1, 4) AS year, count(*) AS n"
        " FROM cables_cable JOIN cables_sender ON cables_sender.id = cables_cable.sender_id"
        " WHERE cables_cable.id IN (SELECT cable_id FROM cables_cabletag WHERE tag_id = ?)"
        " AND cables_cable.date IS NOT NULL AND cables_cable.classification != ''"
        " GROUP BY 1, 2, 3 ORDER BY n DESC LIMIT 1",
        (tag_id,),
    ).fetchone()
    found["combo"] = {
        "tag": tag_code,
        "sender": row[0],
        "classification": row[1],
        "year": int(row[2]),
        "cables": row[3],
    }

    # The busiest year and a second classification, for the Datasette views.
    year_row = connection.execute(
        "SELECT substr(date, 1, 4) AS year, count(*) AS n FROM cables_cable"
        " WHERE date IS NOT NULL GROUP BY 1 ORDER BY n DESC LIMIT 1"
    ).fetchone()
    found["busiest_year"] = int(year_row[0])

    # Words from the paragraph index's vocabulary (a temporary fts5vocab table: it lives
    # in this connection only and writes nothing to the file).
    connection.execute(
        "CREATE VIRTUAL TABLE temp.bench_vocab USING fts5vocab(main, cables_paragraph_fts, row)"
    )
    paragraphs = connection.execute("SELECT count(*) FROM cables_paragraph").fetchone()[0]
    # Rare: the rarest plain word of 7+ letters in at least 2 paragraphs (2 or 3 in real
    # text; synthetic text, drawn from a smaller vocabulary, has fewer rare words).
    rare = None
    for (term,) in connection.execute(
        "SELECT term FROM temp.bench_vocab WHERE doc >= 2 AND length(term) >= 7"
        " ORDER BY doc, cnt DESC, term LIMIT 2000"
    ):
        if WORD.match(term):
            rare = term
            break
    found["rare_word"] = {"word": rare, "cables": cables_matching(connection, f'"{rare}"')}

    # Common: the word whose share of cables is nearest ``common_share``. A cable's share
    # grows with the number of paragraphs holding the word, so a binary search over the
    # vocabulary sorted by that number finds it in a dozen counts (bounded in time).
    candidates = [
        term
        for (term,) in connection.execute(
            "SELECT term FROM temp.bench_vocab WHERE doc BETWEEN ? AND ? ORDER BY doc, term",
            (max(int(total * 0.05), 1), max(int(total * 5), 10)),
        )
        if WORD.match(term)
    ]
    best, tried = None, []
    low, high = 0, len(candidates) - 1
    while low <= high and len(tried) < 24 and time.monotonic() - started < budget_s:
        middle = (low + high) // 2
        share = cables_matching(connection, f'"{candidates[middle]}"') / total
        tried.append((candidates[middle], round(share, 3)))
        if best is None or abs(share - common_share) < abs(best[1] - common_share):
            best = (candidates[middle], share)
        if abs(share - common_share) < 0.01:
            break
        if share < common_share:
            low = middle + 1
        else:
            high = middle - 1
    if best is None:  # a tiny database: the most frequent word will do
        term = connection.execute(
            "SELECT term FROM temp.bench_vocab ORDER BY doc DESC LIMIT 1"
        ).fetchone()[0]
        best = (term, cables_matching(connection, f'"{term}"') / total)
    found["common_word"] = {
        "word": best[0],
        "cables": round(best[1] * total),
        "share": round(best[1], 3),
        "tried": len(tried),
    }

    # A phrase: the first of some diplomatic commonplaces found in 0.5%-30% of cables,
    # else the one found most.
    phrases = []
    for phrase in ("prime minister", "human rights", "foreign minister", "united states"):
        phrases.append((phrase, cables_matching(connection, f'"{phrase}"')))
        if total * 0.005 <= phrases[-1][1] <= total * 0.30:
            break
    phrase = next(
        (p for p in phrases if total * 0.005 <= p[1] <= total * 0.30),
        max(phrases, key=lambda p: p[1]),
    )
    found["phrase"] = {"phrase": phrase[0], "cables": phrase[1]}

    # A cable of about 30 paragraphs, and its middle paragraph. The grouping walks the
    # (cable, position) index: a few seconds at the full release's size.
    cable_id, count = connection.execute(
        "SELECT cable_id, count(*) AS n FROM cables_paragraph GROUP BY cable_id"
        " ORDER BY abs(n - 30), cable_id LIMIT 1"
    ).fetchone()
    reference_id = connection.execute(
        "SELECT reference_id FROM cables_cable WHERE id = ?", (cable_id,)
    ).fetchone()[0]
    anchors = [
        anchor
        for (anchor,) in connection.execute(
            "SELECT anchor FROM cables_paragraph WHERE cable_id = ? ORDER BY position",
            (cable_id,),
        )
    ]
    found["cable"] = {
        "id": cable_id,
        "reference_id": reference_id,
        "paragraphs": count,
        "anchor": anchors[len(anchors) // 2],
    }
    found["paragraph_count"] = paragraphs
    found["seconds"] = round(time.monotonic() - started, 1)
    connection.close()
    return found


def readers_paths(path: str, seed: int = 1) -> list[str]:
    """Some 500 pages readers ask for, drawn from the data, most asked first (for a Zipf
    draw, see ``serve_benchmark.readers_spread``): the home page and the indexes, the
    lists of the 60 commonest tags and 40 busiest senders, 40 tag + classification pairs,
    searches for 60 words of every frequency, pages 2-41 of the whole list, and 160
    cables and 80 of their paragraphs, picked at random (``seed``)."""
    connection = connect(path)
    chooser = random.Random(seed)
    tags = [
        code
        for (code,) in connection.execute(
            "SELECT cables_tag.code FROM cables_cabletag JOIN cables_tag"
            " ON cables_tag.id = tag_id GROUP BY tag_id ORDER BY count(*) DESC LIMIT 60"
        )
    ]
    senders = [
        slug
        for (slug,) in connection.execute(
            "SELECT cables_sender.slug FROM cables_cable JOIN cables_sender"
            " ON cables_sender.id = sender_id GROUP BY sender_id ORDER BY count(*) DESC LIMIT 40"
        )
    ]
    labels = [
        label
        for (label,) in connection.execute(
            "SELECT DISTINCT classification FROM cables_cable WHERE classification != ''"
        )
    ]
    connection.execute(
        "CREATE VIRTUAL TABLE temp.readers_vocab USING fts5vocab(main, cables_paragraph_fts, row)"
    )
    words = [
        term
        for (term,) in connection.execute(
            "SELECT term FROM temp.readers_vocab WHERE doc >= 2 ORDER BY doc DESC"
        )
        if WORD.match(term)
    ]
    words = words[:: max(len(words) // 60, 1)][:60]  # every frequency, common to rare
    last_id = connection.execute("SELECT max(id) FROM cables_cable").fetchone()[0] or 0
    cables = []
    for cable_id in chooser.sample(range(1, last_id + 1), min(400, last_id)):
        row = connection.execute(
            "SELECT reference_id, (SELECT anchor FROM cables_paragraph"
            " WHERE cable_id = cables_cable.id ORDER BY position LIMIT 1)"
            " FROM cables_cable WHERE id = ?",
            (cable_id,),
        ).fetchone()
        if row and row[1]:
            cables.append(row)
        if len(cables) == 160:
            break
    connection.close()
    paths = ["/", "/tags/", "/senders/", list_url()]
    paths += [list_url(tag=tag) for tag in tags]
    paths += [list_url(sender=sender) for sender in senders]
    paths += [
        list_url(tag=chooser.choice(tags), classification=chooser.choice(labels)) for _ in range(40)
    ]
    paths += [list_url(q=word) for word in words]
    paths += [list_url(page=str(page)) for page in range(2, 42)]
    paths += [f"/cables/{reference_id}/" for reference_id, _anchor in cables]
    paths += [f"/cables/{reference_id}/{anchor}/" for reference_id, anchor in cables[:80]]
    paths = list(dict.fromkeys(paths))
    head, rest = paths[:4], paths[4:]
    chooser.shuffle(rest)  # which lists, searches and cables are the popular ones
    return head + rest


def setup_django(path: str) -> None:
    """Django against ``path``, as production configures it (DEBUG off)."""
    os.environ["SQLITE_PATH"] = path
    os.environ.setdefault("SECRET_KEY", "serve-benchmark-capture-only")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("DEBUG", None)
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # the SQL that builds each page, every time
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    project = str(Path(__file__).resolve().parent.parent)
    if project not in sys.path:
        sys.path.insert(0, project)
    import django

    django.setup()


def capture_sql(urls: dict[str, str]) -> dict[str, list[str]]:
    """The SQL statements each URL runs in the archive (setup_django first)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cables.reading import facts

    client = Client(SERVER_NAME="127.0.0.1")
    # The arrays of every cable's facts (cables/reading/facts.py) are read once per worker, not
    # by a page: read before capturing, as a warm worker has them.
    facts.current()
    captured = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code} in-process")
        captured[name] = [query["sql"] for query in queries.captured_queries]
    connection.close()
    return captured


def time_statements(connection, statements: list[str]) -> float:
    started = time.perf_counter()
    for sql in statements:
        connection.execute(sql).fetchall()
    return (time.perf_counter() - started) * 1000


def time_sql(path: str, captured: dict[str, list[str]], repeat: int = 15, budget_s=10) -> dict:
    """Median and p95 ms of each view's statements run with ``sqlite3``, after a warm-up
    run, and each statement's own median, to find the slow ones."""
    connection = connect(path)
    results = {}
    for name, statements in captured.items():
        time_statements(connection, statements)  # warm
        started, times = time.monotonic(), []
        per_statement = [[] for _ in statements]
        while len(times) < repeat and (time.monotonic() - started < budget_s or len(times) < 3):
            total = 0.0
            for index, sql in enumerate(statements):
                ms = time_statements(connection, [sql])
                per_statement[index].append(ms)
                total += ms
            times.append(total)
        times.sort()
        results[name] = {
            "median_ms": median(times),
            "p95_ms": percentile(times, 0.95),
            "runs": len(times),
            "statements": [
                {"sql": sql, "median_ms": round(median(ms), 2)}
                for sql, ms in zip(statements, per_statement, strict=True)
            ],
        }
    connection.close()
    return results


LISTED_COLUMNS = "id, reference_id, date, classification, sender_id, subject"


def view_floor_sql(where: str | None) -> list[str]:
    """The bare SQL of the cable table faceted by classification, sender and year, with
    the filter ``where`` (SQL, or None): the count, each facet's GROUP BY (the 30 biggest
    values, as Datasette shows; every year) and the page of 50 rows newest first, the
    columns the list shows. What any server of the view must at least run, with no
    stored counts."""
    where = f" WHERE ({where})" if where else ""
    dated = f"{where} AND date IS NOT NULL" if where else " WHERE date IS NOT NULL"
    return [
        f"SELECT count(*) FROM cables_cable{where}",
        "SELECT classification, count(*) AS n FROM cables_cable"
        f"{where} GROUP BY classification ORDER BY n DESC, classification LIMIT 31",
        "SELECT sender_id, count(*) AS n FROM cables_cable"
        f"{where} GROUP BY sender_id ORDER BY n DESC, sender_id LIMIT 31",
        "SELECT substr(date, 1, 4) AS year, count(*) FROM cables_cable"
        f"{dated} GROUP BY year ORDER BY year",
        f"SELECT {LISTED_COLUMNS} FROM cables_cable{where} ORDER BY date DESC, id DESC LIMIT 50",
    ]


def cable_floor_sql(cable_id: int) -> list[str]:
    """The bare SQL of one cable's page: its row and its paragraphs."""
    return [
        f"SELECT * FROM cables_cable WHERE id = {int(cable_id)}",
        f"SELECT * FROM cables_paragraph WHERE cable_id = {int(cable_id)} ORDER BY position",
    ]


def explain(path: str, statements: list[str]) -> list[dict]:
    """``EXPLAIN QUERY PLAN`` of each statement: the plan as indented lines."""
    connection = connect(path)
    plans = []
    for sql in statements:
        rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        depth = {0: -1}
        lines = []
        for node, parent, _unused, detail in rows:
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + detail)
        plans.append({"sql": sql, "plan": lines})
    connection.close()
    return plans
