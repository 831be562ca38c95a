"""The facets of the cable list: each value with its count and the link that toggles it.

Every facet is one GROUP BY over a filtered set of cables, bounded to the values shown
(the top values plus the selected ones, and one more to know whether a "more" link is
needed). Which set a facet counts over follows from its semantics:

* **tag** and **date** count over the current results (all filters applied): tags
  narrow, so a tag's count is what the results would become if it were added;
* **sender** and **classification** count over the results *without their own
  selection*, since selecting another value widens: the counts say what each value adds.

Where the filters are none, or one tag, one sender, one classification or one whole
year, the counts are read from those stored by ``cables/summaries.py`` (when they are
current) instead of being counted: the same numbers, without a GROUP BY over up to every
cable. Each facet function takes that ``scope`` (None: count live).

Links are computed here from the ``ListState``, never in templates.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from . import summaries
from .filters import ListState
from .models import Cable, CableTag, Classification, ListResult, Sender, Tag
from .results import DATE_INDEX, ResultSet, indexed_by
from .summaries import Scope

TOP = 10
# Tags are counted over at most this many cables of a list (the newest); a list larger
# than that (a word in a third of the archive) says so. Every cable carries four or five
# tags, so counting them over 75,000 cables took half a second.
TAG_COUNT_CAP = 10_000


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


def tag_counts(cables, scope: Scope | None, ids=None):
    """Rows of tag_id, code, description and count, for ``cables`` (or the cable ``ids``,
    an expression giving them)."""
    if scope is not None:
        return (
            scope.counts()
            .filter(facet="tag", tag__isnull=False)
            .annotate(code=F("tag__code"), description=F("tag__description"))
            .values("tag_id", "code", "description", "count")
        )
    cable_tags = CableTag.objects.all()
    if ids is not None:
        cable_tags = cable_tags.filter(cable_id__in=ids)
    elif cables.model is not Cable or cables.query.has_filters():
        cable_tags = cable_tags.filter(cable_id__in=cables.order_by().values("id"))
    # Counted by tag id first, then each tag's code and description looked up once.
    tag = Tag.objects.filter(pk=OuterRef("tag_id"))
    return (
        cable_tags.order_by()
        .values("tag_id")
        .annotate(count=Count("cable_id"))
        .annotate(
            code=Subquery(tag.values("code")), description=Subquery(tag.values("description"))
        )
    )


def tag_facet(
    cables,
    selected_tags,
    state: ListState,
    path: str,
    limit: int = TOP,
    scope=None,
    count: int | None = None,
) -> Facet:
    """The most frequent tags among ``cables`` (the current results; ``count`` of them,
    when known: over TAG_COUNT_CAP, only the newest TAG_COUNT_CAP count). One query."""
    selected_ids = [tag.id for tag in selected_tags]
    note, ids = "", None
    if scope is None and count is not None and count > TAG_COUNT_CAP:
        ids = newest(cables, TAG_COUNT_CAP)
        note = f"Counted over the newest {TAG_COUNT_CAP:,} of these {count:,} cables."
    rows = list(
        tag_counts(cables, scope, ids).order_by(
            selected_first("tag_id", selected_ids), "-count", "code"
        )[: limit + len(selected_ids) + 1]
    )
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


def newest(cables, limit: int):
    """An expression for the ids of the newest ``limit`` of ``cables``. For the request's
    table (results.py), found by walking the cables' date index and keeping those in the
    table: 10,000 of a word's 76,000 cables after some 33,000 steps, where sorting the
    table by date read all of it (a tenth of a second at full size)."""
    newest_first = (F("date").desc(nulls_last=True), "-id")
    if cables.model is not ListResult:
        return cables.order_by(*newest_first).values("id")[:limit]
    in_table = ListResult.objects.filter(id=OuterRef("id"))
    walk = Cable.objects.filter(Exists(in_table)).order_by(*newest_first).values("id")[:limit]
    return RawSQL(*indexed_by(walk, DATE_INDEX))


def sender_counts(cables, scope: Scope | None):
    """Rows of sender_id, name, slug and count, for ``cables``."""
    if scope is not None:
        return (
            scope.counts()
            .filter(facet="sender", sender__isnull=False)
            .annotate(name=F("sender__name"), slug=F("sender__slug"))
            .values("sender_id", "name", "slug", "count")
        )
    # Counted by sender id first, then each sender's name and slug looked up once: a
    # join before the GROUP BY would look the sender up for every cable.
    sender = Sender.objects.filter(pk=OuterRef("sender_id"))
    return (
        cables.filter(sender__isnull=False)
        .order_by()
        .values("sender_id")
        .annotate(count=Count("id"))
        .annotate(name=Subquery(sender.values("name")), slug=Subquery(sender.values("slug")))
    )


def sender_facet(
    cables, selected_senders, state: ListState, path: str, limit: int = TOP, scope=None
) -> Facet:
    """The senders of ``cables`` (the results without the sender selection). One query."""
    selected_ids = [sender.id for sender in selected_senders]
    rows = list(
        sender_counts(cables, scope).order_by(
            selected_first("sender_id", selected_ids), "-count", "name"
        )[: limit + len(selected_ids) + 1]
    )
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


def classification_facet(cables, selected_labels, state: ListState, path: str, scope=None) -> Facet:
    """The six classifications in order of level, counted over ``cables`` (the results
    without the classification selection). One query."""
    if scope is not None:
        counts = value_counts(scope, "classification")
    else:
        counts = dict(
            cables.order_by()
            .values("classification")
            .annotate(count=Count("id"))
            .values_list("classification", "count")
        )
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
        dozen values each took the template longer than the rest of the page."""
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


def date_counts(dated, scope: Scope | None, part: str) -> dict[int, int]:
    """Cables by year or by month (``part``), stored or counted over ``dated``."""
    if scope is not None:
        return {int(value): count for value, count in value_counts(scope, part).items()}
    of = YearOf if part == "year" else MonthOf
    return dict(
        dated.annotate(**{part: of("date")})
        .values(part)
        .annotate(count=Count("id"))
        .values_list(part, "count")
    )


def date_facet(cables, date_range, state: ListState, path: str, scope=None) -> DateFacet:
    """Counts by year over ``cables`` (the current results), or by month when the date
    range lies within one year. One query."""
    dated = cables.filter(date__isnull=False).order_by()
    year = chosen_year(date_range)
    trail = []
    if date_range and (date_range.start or date_range.stop):
        trail.append(("All dates", state.removing("date_after").removing("date_before").url(path)))
    if year is None:
        rows = date_counts(dated, scope, "year")
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
        rows = date_counts(dated, scope, "month")
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


def stored_scope(filterset) -> Scope | None:
    """The stored counts equal to this list's (see cables/summaries.py), if there are
    such counts and they are current; None to count live. Up to three queries."""
    date_range = filterset.cleaned("date")
    year = chosen_year(date_range)
    whole_year = year is not None and is_range(date_range, date(year, 1, 1), date(year, 12, 31))
    scope = summaries.scope_of(
        filterset.cleaned("tag", []),
        filterset.cleaned("sender", []),
        filterset.cleaned("classification", []),
        year if whole_year else None,
        other_filters=bool(
            filterset.cleaned("q")
            or filterset.cleaned("references")
            or (date_range and not whole_year and (date_range.start or date_range.stop))
        ),
    )
    return scope if scope is not None and summaries.is_current() else None


def facets_for(
    filterset,
    state: ListState,
    path: str,
    scope: Scope | None = None,
    sets=None,
    count: int | None = None,
) -> dict:
    """All four facets of the list page, four queries (see each function), read from the
    stored counts of ``scope`` when it is given, else counted over ``sets`` (a
    results.ResultSet; by default the filters' own querysets)."""
    selected_tags = filterset.cleaned("tag", [])
    selected_senders = filterset.cleaned("sender", [])
    selected_labels = filterset.cleaned("classification", [])
    date_range = filterset.cleaned("date")
    if sets is None:
        sets = ResultSet(
            filterset.qs, filterset.qs_without("sender"), filterset.qs_without("classification")
        )
    results = sets.results
    # Senders and classifications count without their own selection: for a scope of
    # one sender (or classification), that is the whole archive.
    widened = {
        name: (Scope() if scope is not None and scope.name == name else scope)
        for name in ("sender", "classification")
    }
    return {
        "tag": tag_facet(results, selected_tags, state, path, scope=scope, count=count),
        "sender": sender_facet(
            sets.without_sender,
            selected_senders,
            state,
            path,
            scope=widened["sender"],
        ),
        "classification": classification_facet(
            sets.without_classification,
            selected_labels,
            state,
            path,
            scope=widened["classification"],
        ),
        "date": date_facet(results, date_range, state, path, scope=scope),
    }
