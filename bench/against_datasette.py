"""The serving benchmark against Datasette (``bench/serve_benchmark.py``): the views
compared (ours, Datasette's equivalent, and the floor: the view's bare SQL), and
Datasette served on the same SQLite file and timed as shipped and with ``_nosuggest=1``."""

import json
import os
import urllib.parse
from pathlib import Path

import serve_queries
from http_client import HOST, free_port
from http_load import BIN, Server, time_view, warm
from serve_queries import list_url


def comparison_year(path: Path) -> int:
    """2008, as the issue names, if it has CONFIDENTIAL cables; else the busiest year."""
    connection = serve_queries.connect(str(path))
    found = connection.execute(
        "SELECT count(*) FROM cables_cable WHERE classification = 'CONFIDENTIAL'"
        " AND date >= '2008-01-01' AND date < '2009-01-01'"
    ).fetchone()[0]
    busiest = connection.execute(
        "SELECT substr(date, 1, 4) FROM cables_cable WHERE classification = 'CONFIDENTIAL'"
        " AND date IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    connection.close()
    return 2008 if found or not busiest else int(busiest[0])


# A paragraph's rowid in the index is its search key, cable_id * 4096 + position.
FTS_WHERE = (
    "id in (SELECT cables_paragraph_fts.rowid >> 12 FROM cables_paragraph_fts"
    " WHERE cables_paragraph_fts MATCH '\"{word}\"'"
    " UNION SELECT rowid FROM cables_subject_fts WHERE cables_subject_fts MATCH '\"{word}\"')"
)


def comparison_views(subjects: dict, year: int, database: str) -> list[dict]:
    """Our views and Datasette's equivalents: (name, ours, datasette path).

    Datasette's table page shows the cable table with facets on classification,
    sender_id (labelled by the sender table) and date (``_facet_date``: Datasette's date
    facet counts days, its nearest built-in to our bars of years: a year facet would
    need a SQL view written into the file), 50 rows, newest first, the columns our list
    shows (``_col``: the raw text would otherwise make every page megabytes). Full-text
    search with facets is ``_where=id in (…FTS5 MATCH…)``: Datasette's ``_search`` finds
    FTS tables declared with ``content="table"``, ours say ``content='cables_paragraph'``,
    and its search is per row of one table, while a cable matches through any paragraph.
    The native ``_search`` on the paragraph table (declared in metadata) is timed too,
    without facets.
    """
    table = f"/{database}/cables_cable"
    floor = serve_queries.view_floor_sql
    base = [
        ("_size", "50"),
        ("_sort_desc", "date"),
        *[("_col", column) for column in ("reference_id", "date", "classification")],
        *[("_col", column) for column in ("sender_id", "subject")],
        ("_facet", "classification"),
        ("_facet", "sender_id"),
        ("_facet_date", "date"),
    ]

    def table_url(*extra) -> str:
        return f"{table}?{urllib.parse.urlencode([*extra, *base])}"

    rare, common = subjects["rare_word"]["word"], subjects["common_word"]["word"]
    cable = subjects["cable"]
    year_range = {"date_after": f"{year}-01-01", "date_before": f"{year}-12-31"}
    return [
        {
            "name": "faceted list",
            "ours": list_url(),
            "datasette": table_url(),
            "floor": floor(None),
        },
        {
            "name": "classification=SECRET",
            "ours": list_url(classification="SECRET"),
            "datasette": table_url(("classification", "SECRET")),
            "floor": floor("classification = 'SECRET'"),
        },
        {
            "name": f"year {year} + CONFIDENTIAL",
            "ours": list_url(classification="CONFIDENTIAL", **year_range),
            "datasette": table_url(
                ("classification", "CONFIDENTIAL"),
                ("date__gte", f"{year}-01-01"),
                ("date__lt", f"{year + 1}-01-01"),
            ),
            "floor": floor(
                f"classification = 'CONFIDENTIAL' AND date >= '{year}-01-01'"
                f" AND date < '{year + 1}-01-01'"
            ),
        },
        {
            "name": f"rare word ({rare}) + facets",
            "ours": list_url(q=rare),
            "datasette": table_url(("_where", FTS_WHERE.format(word=rare))),
            "floor": floor(FTS_WHERE.format(word=rare)),
        },
        {
            "name": f"common word ({common}) + facets",
            "ours": list_url(q=common),
            "datasette": table_url(("_where", FTS_WHERE.format(word=common))),
            "floor": floor(FTS_WHERE.format(word=common)),
        },
        {
            "name": "single cable",
            "ours": f"/cables/{cable['reference_id']}/",
            "datasette": f"{table}/{cable['id']}",
            "floor": serve_queries.cable_floor_sql(cable["id"]),
        },
        {
            "name": "rare word, native _search on ¶ (no facets; not like for like)",
            "ours": list_url(q=rare),
            "datasette": f"/{database}/cables_paragraph?"
            + urllib.parse.urlencode([("_search", rare), ("_size", "50")]),
            "floor": floor(FTS_WHERE.format(word=rare)),
        },
        {
            "name": "common word, native _search on ¶ (no facets; not like for like)",
            "ours": list_url(q=common),
            "datasette": f"/{database}/cables_paragraph?"
            + urllib.parse.urlencode([("_search", common), ("_size", "50")]),
            "floor": floor(FTS_WHERE.format(word=common)),
        },
    ]


def with_nosuggest(path: str) -> str:
    return path + ("&" if "?" in path else "?") + "_nosuggest=1"


def run_datasette(path: Path, compared: list[dict], args, logs: Path, results: dict) -> None:
    database = path.stem
    metadata = logs / "metadata.json"
    fts = {"cables_paragraph": {"fts_table": "cables_paragraph_fts", "fts_pk": "search_key"}}
    metadata.write_text(json.dumps({"databases": {database: {"tables": fts}}}))
    port = free_port()
    command = [
        str(BIN / "datasette"), "serve", str(path), "--host", HOST, "--port", str(port),
        "--metadata", str(metadata),
        "--setting", "sql_time_limit_ms", "10000",
        "--setting", "facet_time_limit_ms", "10000",
    ]  # fmt: skip
    env = {key: value for key, value in os.environ.items()}
    results["datasette"]["command"] = " ".join(command[1:]).replace(str(logs), "<tmp>")
    print(f"Starting Datasette on {HOST}:{port} …", flush=True)
    with Server("datasette", command, env, port, logs / "datasette.log"):
        for row in compared:
            row["datasette"] = row["datasette"].replace("/DATABASE/", f"/{database}/", 1)
        warm(port, [row["datasette"] for row in compared])
        warm(port, [with_nosuggest(row["datasette"]) for row in compared])
        for row in compared:
            row["shipped"] = time_view(port, row["datasette"], args.requests, args.view_seconds)
            row["nosuggest"] = time_view(
                port, with_nosuggest(row["datasette"]), args.requests, args.view_seconds
            )
            print(
                f"  {row['name']:40} Datasette {row['shipped']['median_ms']:8.1f} ms,"
                f" _nosuggest {row['nosuggest']['median_ms']:8.1f} ms",
                flush=True,
            )
