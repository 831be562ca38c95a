"""The facets of the cable list: each value with its count and the link that toggles it.

Every facet is one GROUP BY over a filtered set of cables, bounded to the values shown
(the top values plus the selected ones, and one more to know whether a "more" link is
needed). Which set a facet counts over follows from its semantics:

* **tag** and **date** count over the current results (all filters applied): tags
  narrow, so a tag's count is what the results would become if it were added;
* **sender** and **classification** count over the results *without their own
  selection*, since selecting another value widens: the counts say what each value adds.

Links are computed here from the ``ListState``, never in templates.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, Func, IntegerField, Value, When

from .filters import ListState
from .models import CableTag, Classification

TOP = 10


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

    def as_json(self) -> list[dict]:
        return [value.as_json() for value in self.values]


def toggle(state: ListState, name: str, value: str, selected: bool, path: str) -> str:
    return (state.removing(name, value) if selected else state.adding(name, value)).url(path)


def selected_first(field_name: str, selected: list):
    """An ORDER BY term that puts the selected values first, so they are always shown."""
    if not selected:
        return Value(1)
    return Case(When(**{f"{field_name}__in": selected}, then=Value(0)), default=Value(1))


def tag_facet(cables, selected_tags, state: ListState, path: str, limit: int = TOP) -> Facet:
    """The most frequent tags among ``cables`` (the current results). One query."""
    cable_tags = CableTag.objects.all()
    if cables.query.has_filters():
        cable_tags = cable_tags.filter(cable_id__in=cables.order_by().values("id"))
    selected_ids = [tag.id for tag in selected_tags]
    rows = list(
        cable_tags.values("tag_id", "tag__code", "tag__description")
        .annotate(count=Count("cable_id"))
        .order_by(selected_first("tag_id", selected_ids), "-count", "tag__code")[
            : limit + len(selected_ids) + 1
        ]
    )
    shown = rows[: limit + len(selected_ids)]
    values = []
    for row in shown:
        code, description = row["tag__code"], row["tag__description"]
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
    return Facet("tag", "Tags", values, more)


def sender_facet(cables, selected_senders, state: ListState, path: str, limit: int = TOP) -> Facet:
    """The senders of ``cables`` (the results without the sender selection). One query."""
    selected_ids = [sender.id for sender in selected_senders]
    rows = list(
        cables.filter(sender__isnull=False)
        .order_by()
        .values("sender_id", "sender__name", "sender__slug")
        .annotate(count=Count("id"))
        .order_by(selected_first("sender_id", selected_ids), "-count", "sender__name")[
            : limit + len(selected_ids) + 1
        ]
    )
    shown = rows[: limit + len(selected_ids)]
    values = []
    for row in shown:
        selected = row["sender_id"] in selected_ids
        values.append(
            FacetValue(
                value=row["sender__slug"],
                label=row["sender__name"],
                count=row["count"],
                selected=selected,
                url=toggle(state, "sender", row["sender__slug"], selected, path),
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


def classification_facet(cables, selected_labels, state: ListState, path: str) -> Facet:
    """The six classifications in order of level, counted over ``cables`` (the results
    without the classification selection). One query."""
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


def date_facet(cables, date_range, state: ListState, path: str) -> DateFacet:
    """Counts by year over ``cables`` (the current results), or by month when the date
    range lies within one year. One query."""
    dated = cables.filter(date__isnull=False).order_by()
    year = chosen_year(date_range)
    trail = []
    if date_range and (date_range.start or date_range.stop):
        trail.append(("All dates", state.removing("date_after").removing("date_before").url(path)))
    if year is None:
        rows = dict(
            dated.annotate(year=YearOf("date"))
            .values("year")
            .annotate(count=Count("id"))
            .values_list("year", "count")
        )
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
        rows = dict(
            dated.annotate(month=MonthOf("date"))
            .values("month")
            .annotate(count=Count("id"))
            .values_list("month", "count")
        )
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


def facets_for(filterset, state: ListState, path: str) -> dict:
    """All four facets of the list page, four queries (see each function)."""
    selected_tags = filterset.cleaned("tag", [])
    selected_senders = filterset.cleaned("sender", [])
    selected_labels = filterset.cleaned("classification", [])
    date_range = filterset.cleaned("date")
    results = filterset.qs
    return {
        "tag": tag_facet(results, selected_tags, state, path),
        "sender": sender_facet(filterset.qs_without("sender"), selected_senders, state, path),
        "classification": classification_facet(
            filterset.qs_without("classification"), selected_labels, state, path
        ),
        "date": date_facet(results, date_range, state, path),
    }
