"""The facets of the cable list: each value with its count and the link that toggles it.

Each facet shows its top values plus the selected ones (and knows whether there are
more, for a "more" link). Which set a facet counts over follows from its semantics:

* **tag** and **date** count over the current results (all filters applied): tags
  narrow, so a tag's count is what the results would become if it were added;
* **sender** and **classification** count over the results *without their own
  selection*, since selecting another value widens: the counts say what each value adds.

Each facet function takes the ``source`` of its counts. Where the filters are none, or
one tag, one sender, one classification or one whole year, it is a ``Scope``: the counts
stored by ``cables/reading/summaries.py`` (when they are current), read in one query. Otherwise
it is the list's ``results.ResultSet``: every count is worked out in memory over its ids
(the tags over at most TAG_COUNT_CAP of them), and the tags shown are looked up in one
query.

Links are computed here from the ``ListState``, never in templates.
"""

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import takewhile

from django.db.models import Case, F, Value, When
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ..models import Classification, Sender, Tag
from . import search, summaries
from .filters import ListState
from .results import ResultSet, id_list, result_set
from .summaries import Scope

TOP = 10
# Tags are counted over at most this many cables of a list (the newest); a list larger
# than that (a word in a third of the archive) says so. Every cable carries four or five
# tags, so counting them over tens of thousands of cables would cost more than the rest
# of the page.
TAG_COUNT_CAP = 5_000


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str  # adds the value, or removes it when selected

    def as_json(self) -> dict:
        return {
            "value": self.value,
            "label": self.label,
            "count": self.count,
            "selected": self.selected,
        }


@dataclass
class Facet:
    name: str
    title: str
    values: list[FacetValue]
    more_url: str = ""  # the full list, when there are more values than shown
    note: str = ""  # how the counts were made, when not over every cable of the list

    def as_json(self) -> list[dict]:
        return [value.as_json() for value in self.values]


def toggle(state: ListState, name: str, value: str, selected: bool, path: str) -> str:
    return (state.removing(name, value) if selected else state.adding(name, value)).url(path)


def selected_first(field_name: str, selected: list):
    """An ORDER BY term that puts the selected values first, so they are always shown."""
    if not selected:
        return Value(1)
    return Case(When(**{f"{field_name}__in": selected}, then=Value(0)), default=Value(1))


def stored_tag_rows(scope: Scope, selected_ids: list[int], wanted: int) -> list[dict]:
    """The first ``wanted`` rows (tag_id, code, description, count) of a ``Scope``'s stored
    tag counts: the selected tags first, then by count, then by code. One query."""
    rows = (
        scope.tag_counts()
        .annotate(code=F("tag__code"), description=F("tag__description"))
        .values("tag_id", "code", "description", "count")
        .order_by(selected_first("tag_id", selected_ids), "-count", "code")
    )
    return list(rows[:wanted])


def counted_tag_rows(counts: Counter, selected_ids: list[int], wanted: int) -> list[dict]:
    """The first ``wanted`` rows of tag counts made in memory (``ResultSet.tag_counts``),
    in the order of ``stored_tag_rows``. One query, for the codes and descriptions of the
    tags that can be among them: the selected, and those counted at least as often as the
    last place (its ties are broken by code)."""
    selected = [tag_id for tag_id in selected_ids if counts[tag_id]]
    others = [(tag_id, count) for tag_id, count in counts.most_common() if tag_id not in selected]
    places = wanted - len(selected)
    if places <= 0:
        others = []
    elif len(others) > places:
        last = others[places - 1][1]
        others = list(takewhile(lambda other: other[1] >= last, others))
    if not selected and not others:
        return []
    tags = Tag.objects.filter(id__in=selected + [tag_id for tag_id, _ in others])
    rows = [
        {"tag_id": tag_id, "code": code, "description": description, "count": counts[tag_id]}
        for tag_id, code, description in tags.values_list("id", "code", "description")
    ]
    rows.sort(key=lambda row: (row["tag_id"] not in selected, -row["count"], row["code"]))
    return rows[:wanted]


def tag_facet(
    source: Scope | ResultSet, selected_tags, state: ListState, path: str, limit: int = TOP
) -> Facet:
    """The most frequent tags among the current results (of a ResultSet: over
    TAG_COUNT_CAP of them, only the newest TAG_COUNT_CAP count). One query."""
    selected_ids = [tag.id for tag in selected_tags]
    wanted = limit + len(selected_ids) + 1  # one more than shown: are there more?
    note = ""
    if isinstance(source, Scope):
        rows = stored_tag_rows(source, selected_ids, wanted)
    else:
        ids = source.results
        if source.count > TAG_COUNT_CAP:
            ids = source.newest(TAG_COUNT_CAP)
            note = f"Counted over the newest {TAG_COUNT_CAP:,} of these {source.count:,} cables."
        rows = counted_tag_rows(source.tag_counts(ids), selected_ids, wanted)
    shown = rows[: limit + len(selected_ids)]
    values = []
    for row in shown:
        code, description = row["code"], row["description"]
        selected = row["tag_id"] in selected_ids
        values.append(
            FacetValue(
                value=code,
                label=f"{code} — {description}" if description else code,
                count=row["count"],
                selected=selected,
                url=toggle(state, "tag", code, selected, path),
            )
        )
    more = state.filters_only().url("/tags/") if len(rows) > len(shown) else ""
    return Facet("tag", "Tags", values, more, note)


def sender_rows(source: Scope | ResultSet, selected_ids: list[int], limit: int) -> list[dict]:
    """Rows of sender_id, name, slug and count, selected first, then by count and name;
    ``limit`` of them. Stored for a ``Scope``; else counted over the ResultSet's results
    without the sender selection, and every sender counted read by id."""
    if isinstance(source, Scope):
        rows = (
            source.sender_counts()
            .annotate(name=F("sender__name"), slug=F("sender__slug"))
            .values("sender_id", "name", "slug", "count")
        )
        return list(
            rows.order_by(selected_first("sender_id", selected_ids), "-count", "name")[:limit]
        )
    counts = source.sender_counts()
    senders = Sender.objects.filter(id__in=id_list(counts)).values_list("id", "name", "slug")
    rows = [
        {"sender_id": sender_id, "name": name, "slug": slug, "count": counts[sender_id]}
        for sender_id, name, slug in senders
    ]
    rows.sort(key=lambda row: (row["sender_id"] not in selected_ids, -row["count"], row["name"]))
    return rows[:limit]


def sender_facet(
    source: Scope | ResultSet, selected_senders, state: ListState, path: str, limit: int = TOP
) -> Facet:
    """The senders of the results without the sender selection. One query."""
    selected_ids = [sender.id for sender in selected_senders]
    rows = sender_rows(source, selected_ids, limit + len(selected_ids) + 1)
    shown = rows[: limit + len(selected_ids)]
    values = []
    for row in shown:
        selected = row["sender_id"] in selected_ids
        values.append(
            FacetValue(
                value=row["slug"],
                label=row["name"],
                count=row["count"],
                selected=selected,
                url=toggle(state, "sender", row["slug"], selected, path),
            )
        )
    # Selected senders with no cable under the other filters still show, to be removable.
    shown_ids = {row["sender_id"] for row in shown}
    for sender in selected_senders:
        if sender.id not in shown_ids:
            values.insert(
                0,
                FacetValue(
                    sender.slug,
                    sender.name,
                    0,
                    True,
                    toggle(state, "sender", sender.slug, True, path),
                ),
            )
    more = state.filters_only().url("/senders/") if len(rows) > len(shown) else ""
    return Facet("sender", "Senders", values, more)


def value_counts(scope: Scope, facet: str) -> dict[str, int]:
    return dict(scope.counts().filter(facet=facet).values_list("value", "count"))


def classification_facet(
    source: Scope | ResultSet, selected_labels, state: ListState, path: str
) -> Facet:
    """The six classifications in order of level, counted over the results without the
    classification selection: one query of the stored counts, or none."""
    if isinstance(source, Scope):
        counts = value_counts(source, "classification")
    else:
        counts = source.classification_counts()
    values = []
    for label in Classification.values:
        selected = label in selected_labels
        if counts.get(label) or selected:
            values.append(
                FacetValue(
                    label,
                    label,
                    counts.get(label, 0),
                    selected,
                    toggle(state, "classification", label, selected, path),
                )
            )
    return Facet("classification", "Classification", values)


@dataclass
class Bar:
    label: str
    title: str
    count: int
    selected: bool
    url: str
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    show_label: bool = False


@dataclass
class DateFacet:
    """Years, or the months of one year when the date range lies within it; drawn as SVG."""

    year: int | None  # the chosen year, when months are shown
    bars: list[Bar]
    years: Facet
    months: Facet | None
    trail: list[tuple[str, str]] = field(default_factory=list)  # (label, url) to widen
    width: int = 0
    height: int = 0

    def svg(self) -> str:
        """The bars and labels inside the chart's <svg>: built here, as some 45 bars of a
        dozen values each cost the template more than the rest of the page."""
        parts = []
        for bar in self.bars:
            if bar.count:
                parts.append(
                    format_html(
                        '<a href="{}" tabindex="-1"><rect class="bar{}" x="{}" y="{}" width="{}"'
                        ' height="{}"><title>{}</title></rect><rect class="hit" x="{}" y="0"'
                        ' width="{}" height="{}"><title>{}</title></rect></a>',
                        bar.url,
                        " selected" if bar.selected else "",
                        bar.x,
                        bar.y,
                        bar.width,
                        bar.height,
                        bar.title,
                        bar.x,
                        bar.width,
                        CHART_HEIGHT,
                        bar.title,
                    )
                )
            if bar.show_label:
                parts.append(
                    format_html('<text x="{}" y="{}">{}</text>', bar.x, self.height, bar.label)
                )
        return mark_safe("".join(parts))  # noqa: S308 - every part made by format_html

    def items(self) -> str:
        """The same links as a list, for keyboards and screen readers."""
        return format_html_join(
            "",
            '<li><a href="{}"{}>{}</a></li>',
            (
                (bar.url, mark_safe(' aria-current="true"') if bar.selected else "", bar.title)
                for bar in self.bars
                if bar.count
            ),
        )


CHART_HEIGHT = 60
LABEL_SPACE = 14


def chosen_year(date_range) -> int | None:
    """The year the date range lies within, if it lies within one."""
    if not date_range or not date_range.start or not date_range.stop:
        return None
    if date_range.start.year == date_range.stop.year:
        return date_range.start.year
    return None


def date_range_state(state: ListState, start: date, stop: date) -> ListState:
    return state.replacing("date_after", start.isoformat()).replacing(
        "date_before", stop.isoformat()
    )


def is_range(date_range, start: date, stop: date) -> bool:
    return bool(
        date_range
        and date_range.start
        and date_range.stop
        and date_range.start.date() == start
        and date_range.stop.date() == stop
    )


def date_counts(source: Scope | ResultSet, part: str) -> dict[int, int]:
    """Cables by year or by month (``part``), stored or counted over the results."""
    if isinstance(source, Scope):
        return {int(value): count for value, count in value_counts(source, part).items()}
    return source.date_counts(part)


def date_facet(source: Scope | ResultSet, date_range, state: ListState, path: str) -> DateFacet:
    """Counts by year over the current results, or by month when the date range lies
    within one year: one query of the stored counts, or none."""
    year = chosen_year(date_range)
    trail = []
    if date_range and (date_range.start or date_range.stop):
        trail.append(("All dates", state.removing("date_after").removing("date_before").url(path)))
    if year is None:
        rows = date_counts(source, "year")
        bars = []
        if rows:
            for number in range(min(rows), max(rows) + 1):
                start, stop = date(number, 1, 1), date(number, 12, 31)
                selected = is_range(date_range, start, stop)
                count = rows.get(number, 0)
                bars.append(
                    Bar(
                        str(number),
                        f"{number}: {count} cable{'s' if count != 1 else ''}",
                        count,
                        selected,
                        date_range_state(state, start, stop).url(path),
                    )
                )
        years = Facet(
            "year",
            "Year",
            [
                FacetValue(bar.label, bar.label, bar.count, bar.selected, bar.url)
                for bar in bars
                if bar.count
            ],
        )
        months = None
    else:
        rows = date_counts(source, "month")
        bars = []
        for number in range(1, 13):
            start = date(year, number, 1)
            stop = date(year, number, calendar.monthrange(year, number)[1])
            count = rows.get(number, 0)
            bars.append(
                Bar(
                    start.strftime("%b"),
                    f"{start.strftime('%B %Y')}: {count} cable{'s' if count != 1 else ''}",
                    count,
                    is_range(date_range, start, stop),
                    date_range_state(state, start, stop).url(path),
                )
            )
        whole_year = is_range(date_range, date(year, 1, 1), date(year, 12, 31))
        year_url = date_range_state(state, date(year, 1, 1), date(year, 12, 31)).url(path)
        if not whole_year:
            trail.append((str(year), year_url))
        years = Facet(
            "year",
            "Year",
            [FacetValue(str(year), str(year), sum(rows.values()), whole_year, year_url)],
        )
        months = Facet(
            "month",
            "Month",
            [
                FacetValue(f"{year}-{index:02d}", bar.label, bar.count, bar.selected, bar.url)
                for index, bar in enumerate(bars, start=1)
                if bar.count
            ],
        )
    width = lay_out(bars)
    return DateFacet(year, bars, years, months, trail, width, CHART_HEIGHT + LABEL_SPACE)


def lay_out(bars: list[Bar]) -> int:
    """Place the bars in an SVG of height CHART_HEIGHT + LABEL_SPACE; returns its width."""
    step, gap = (20, 4) if len(bars) <= 12 else (10, 2)
    highest = max((bar.count for bar in bars), default=0) or 1
    for index, bar in enumerate(bars):
        bar.x = index * step
        bar.width = step - gap
        bar.height = max(1, round(CHART_HEIGHT * bar.count / highest)) if bar.count else 0
        bar.y = CHART_HEIGHT - bar.height
        # Every month is labelled; years at the ends and every decade.
        bar.show_label = len(bars) <= 12 or index in (0, len(bars) - 1) or int(bar.label) % 10 == 0
    return max(len(bars) * step, step)


def stored_scope(filterset, without_senders: bool = False) -> Scope | None:
    """The stored counts equal to this list's (see cables/reading/summaries.py), if there are
    such counts and they are current; None to count live. ``without_senders``: the
    list's but for its sender selection. Up to four queries."""
    date_range = filterset.cleaned("date")
    year = chosen_year(date_range)
    whole_year = year is not None and is_range(date_range, date(year, 1, 1), date(year, 12, 31))
    scope = summaries.scope_of(
        filterset.cleaned("tag", []),
        [] if without_senders else filterset.cleaned("sender", []),
        filterset.cleaned("classification", []),
        year if whole_year else None,
        other_filters=bool(
            filterset.cleaned("q")
            or filterset.cleaned("references")
            or (date_range and not whole_year and (date_range.start or date_range.stop))
        ),
    )
    return scope if scope is not None and summaries.is_current() else None


def tag_counts_of(filterset) -> dict[int, int]:
    """Cables by tag id over every cable the list's filters select (the tag glossary's
    counts, not capped): stored for a ``Scope``, else counted in memory over the ids of a
    ``results.ResultSet``."""
    scope = stored_scope(filterset)
    if scope is not None:
        return dict(scope.tag_counts().values_list("tag_id", "count"))
    sets = newest_set(filterset)
    return sets.tag_counts(sets.results)


def sender_counts_of(filterset) -> dict[int, int]:
    """Cables by sender id over every cable the list's filters select but for its sender
    selection (the sender glossary's counts): stored for a ``Scope`` (the whole archive,
    one tag, classification or year), else counted in memory."""
    scope = stored_scope(filterset, without_senders=True)
    if scope is not None:
        return dict(scope.sender_counts().values_list("sender_id", "count"))
    return newest_set(filterset).sender_counts()


def newest_set(filterset) -> ResultSet:
    """The list's ResultSet, as the list newest first counts it (validate the filterset
    first: ``filterset.problems()``)."""
    return result_set(filterset, search.parse_query(filterset.cleaned("q", "")), "newest")


def facets_for(filterset, state: ListState, path: str, source: Scope | ResultSet) -> dict:
    """All four facets of the list page: read from the stored counts of a ``Scope``
    (four queries), or counted over a results.ResultSet (two queries: the tags, and the
    senders' names)."""
    selected_tags = filterset.cleaned("tag", [])
    selected_senders = filterset.cleaned("sender", [])
    selected_labels = filterset.cleaned("classification", [])
    date_range = filterset.cleaned("date")
    # Senders and classifications count without their own selection: for a scope of
    # one sender (or classification), that is the whole archive.
    widened = {
        name: (Scope() if isinstance(source, Scope) and source.name == name else source)
        for name in ("sender", "classification")
    }
    return {
        "tag": tag_facet(source, selected_tags, state, path),
        "sender": sender_facet(widened["sender"], selected_senders, state, path),
        "classification": classification_facet(
            widened["classification"], selected_labels, state, path
        ),
        "date": date_facet(source, date_range, state, path),
    }
