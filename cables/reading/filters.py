"""The state of the cable list, as its URL: validation (a django-filter FilterSet) and links.

The URL is the state: ``?q=merida&tag=PREL&tag=MX&sender=embassy-mexico&classification=SECRET
&date_after=2008-01-01&date_before=2008-12-31&sort=oldest&page=2``. ``ListState`` holds
these parameters in their canonical form (no empty values, no duplicates, ``page=1``
left out, a fixed order) and builds every link of the page from them; ``CableFilter``
validates them and narrows the cables.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django.core.validators import MaxLengthValidator

from ..models import Cable, Classification, Sender, Tag
from . import search

# Every parameter the list understands, in the order canonical URLs give them.
PARAMETERS = (
    "q",
    "tag",
    "sender",
    "classification",
    "date_after",
    "date_before",
    "references",
    "sort",
    "page",
    "format",
    "find",  # the search box of /tags/ and /senders/
)
LIST_PARAMETERS = PARAMETERS[:-1]  # what /cables/ understands
# More tags than any cable carries: each is one more subquery, so a longer list only costs.
MAX_TAGS = 20
SORTS = {"newest": "Newest first", "oldest": "Oldest first", "relevance": "Most relevant"}
FORMATS = ("json", "csv")
LABELS = {
    "q": "Search",
    "tag": "Tag",
    "sender": "Sender",
    "classification": "Classification",
    "date": "Dates",
    "references": "References",
    "sort": "Sort",
    "page": "Page",
    "format": "Format",
}


@dataclass(frozen=True)
class ListState:
    """The list's parameters as an ordered tuple of (name, value) pairs, canonical."""

    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_query(cls, querydict) -> "ListState":
        pairs = []
        for name, values in querydict.lists():
            for value in values:
                value = value.strip()
                if name in ("tag", "classification"):
                    value = value.upper()
                elif name == "sender":
                    value = value.lower()
                if value and (name, value) not in pairs and (name, value) != ("page", "1"):
                    pairs.append((name, value))
        order = {name: index for index, name in enumerate(PARAMETERS)}
        # Known parameters in a fixed order; unknown ones kept (the page names them) after.
        pairs.sort(key=lambda pair: order.get(pair[0], len(order)))
        return cls(tuple(pairs))

    def query_string(self) -> str:
        return urlencode(self.params)

    def url(self, path: str) -> str:
        query = self.query_string()
        return f"{path}?{query}" if query else path

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.params if key == name]

    def first(self, name: str) -> str:
        values = self.values(name)
        return values[0] if values else ""

    def _changed(self, pairs) -> "ListState":
        # Any change of what is shown starts again at page 1, as HTML.
        return ListState(tuple(pair for pair in pairs if pair[0] not in ("page", "format")))

    def adding(self, name: str, value: str) -> "ListState":
        order = {key: index for index, key in enumerate(PARAMETERS)}
        pairs = [*self.params, (name, value)]
        pairs.sort(key=lambda pair: order.get(pair[0], len(order)))
        return self._changed(pairs)

    def removing(self, name: str, value: str | None = None) -> "ListState":
        return self._changed(
            pair for pair in self.params if not (pair[0] == name and value in (None, pair[1]))
        )

    def replacing(self, name: str, *values: str) -> "ListState":
        state = self.removing(name)
        for value in values:
            state = state.adding(name, value)
        return state

    def with_page(self, number: int) -> "ListState":
        pairs = [pair for pair in self.params if pair[0] not in ("page", "format")]
        if number > 1:
            pairs.append(("page", str(number)))
        return ListState(tuple(pairs)).sorted()

    def with_format(self, format: str) -> "ListState":
        """The same list (and page) as data."""
        pairs = [pair for pair in self.params if pair[0] != "format"]
        return ListState((*pairs, ("format", format))).sorted()

    def sorted(self) -> "ListState":
        order = {key: index for index, key in enumerate(PARAMETERS)}
        return ListState(tuple(sorted(self.params, key=lambda p: order.get(p[0], len(order)))))

    def unknown(self, known=LIST_PARAMETERS) -> list[str]:
        return list(dict.fromkeys(name for name, _ in self.params if name not in known))

    def filters_only(self) -> "ListState":
        """Only what narrows the cables: no sort, page, format or find."""
        return ListState(
            tuple(pair for pair in self.params if pair[0] not in ("sort", "page", "format", "find"))
        )


class CableFilter(django_filters.FilterSet):
    """Validates the list's parameters and narrows the cables.

    Several tags narrow (a cable must carry all of them); several senders or several
    classifications widen within their facet (any of them); different facets narrow
    each other. A parameter that does not validate is left out, and ``problems()``
    says so; the others still apply.
    """

    q = django_filters.CharFilter(method="filter_search", max_length=500)
    tag = django_filters.ModelMultipleChoiceFilter(
        queryset=Tag.objects.all(),
        to_field_name="code",
        method="filter_tags",
        error_messages={"invalid_choice": "There is no tag %(value)s in the archive."},
        validators=[
            MaxLengthValidator(
                MAX_TAGS,
                "at most %(limit_value)s tags can be asked for at once (this asks for "
                "%(show_value)s).",
            )
        ],
    )
    sender = django_filters.ModelMultipleChoiceFilter(
        queryset=Sender.objects.all(),
        to_field_name="slug",
        method="filter_senders",
        error_messages={"invalid_choice": "There is no sender %(value)s in the archive."},
    )
    classification = django_filters.MultipleChoiceFilter(
        choices=Classification.choices,
        method="filter_classifications",
        error_messages={
            "invalid_choice": "%(value)s is not a classification; the six are "
            + ", ".join(Classification.values)
            + "."
        },
    )
    date = django_filters.DateFromToRangeFilter(field_name="date")
    references = django_filters.CharFilter(method="filter_references", max_length=64)
    sort = django_filters.ChoiceFilter(
        choices=list(SORTS.items()),
        method="filter_nothing",
        error_messages={
            "invalid_choice": "%(value)s is not a sort; use newest, oldest or relevance."
        },
    )
    format = django_filters.ChoiceFilter(
        choices=[(name, name) for name in FORMATS],
        method="filter_nothing",
        error_messages={"invalid_choice": "%(value)s is not a format; use json or csv."},
    )

    class Meta:
        model = Cable
        fields = []

    def filter_search(self, queryset, name, value):
        query = search.parse_query(value)
        return search.filter_cables(queryset, query) if query else queryset

    def filter_tags(self, queryset, name, tags):
        return queryset.with_all_tags(tags)

    def filter_senders(self, queryset, name, senders):
        # An empty selection arrives as an empty QuerySet, which django-filter does not
        # treat as empty: it must not become "from no sender".
        return queryset.from_senders(senders) if senders else queryset

    def filter_classifications(self, queryset, name, labels):
        return queryset.classified(labels) if labels else queryset

    def filter_references(self, queryset, name, reference_id):
        """Cables whose REF lines name ``reference_id``."""
        return queryset.citing(reference_id.strip().upper())

    def filter_nothing(self, queryset, name, value):
        return queryset  # sort and format shape the response, not the set

    def cleaned(self, name, default=None):
        """A validated value (after ``is_valid()``), or ``default`` if absent or invalid."""
        value = self.form.cleaned_data.get(name)
        return default if value in (None, "", [], ()) else value

    def qs_without(self, *names):
        """The cables narrowed by every valid parameter except ``names``: the base of a
        facet whose own selection must not hide its other values."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in names:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def problems(self) -> list[str]:
        """What in the URL could not be used, in words; empty when everything validates."""
        self.is_valid()
        messages = []
        for name, errors in self.form.errors.items():
            label = LABELS.get(name, name)
            for error in errors:
                if name == "date":
                    error = "dates are written YYYY-MM-DD, like 2008-07-15."
                messages.append(f"{label}: {error} This part of the address was ignored.")
        date_range = self.cleaned("date")
        start, stop = (date_range.start, date_range.stop) if date_range else (None, None)
        if start and stop and start > stop:
            messages.append("Dates: the range ends before it starts, so nothing is in it.")
        return messages
