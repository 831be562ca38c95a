"""The pieces of the list pages that are not facets: results, pages, links, JSON and CSV."""

import csv
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from ..models import Cable, CableTag, Sender, Tag
from ..reference import posts
from .exports import absolute, csv_cell
from .facets import sender_counts_of, tag_counts_of
from .filters import SORTS, ListState
from .results import id_list
from .search import Snippet

TAG_KINDS = {
    "subject": "Subjects",
    "country": "Countries",
    "organization": "Organisations",
    "person": "People",
    "program": "Programs",
    "other": "Other codes",
}


@dataclass
class Result:
    """One row of the list, with what the template prints worked out once, here: a
    template's filters and method calls cost a page 50 URL reversals and 100 date
    formattings more."""

    cable: object
    snippet: Snippet | None
    url: str = ""
    snippet_url: str = ""
    date_iso: str = ""  # as the time element's datetime, in the site's time zone
    day: str = ""  # 2008-04-01

    def __post_init__(self):
        self.url = self.cable.get_absolute_url()
        self.snippet_url = f"{self.url}#{self.snippet.anchor}" if self.snippet else ""
        if self.cable.date:
            date = timezone.localtime(self.cable.date)
            self.date_iso, self.day = date.isoformat(), date.strftime("%Y-%m-%d")


def page_of(ids, number: str | None, max_pages: int, count: int):
    """The requested page of ``ids`` (in the list's order; ``count`` of them) and a
    problem, if any; see the view for the capped page range."""
    paginator = Paginator(ids, settings.CABLES_PER_PAGE)
    paginator.count = count
    problem = ""
    try:
        wanted = int(number or 1)
    except ValueError:
        problem, wanted = f"Page: “{number}” is not a page number; this is page 1.", 1
    if wanted < 1:
        problem, wanted = f"Page: “{number}” is not a page number; this is page 1.", 1
    if wanted > max_pages:
        problem = (
            f"Page: only the first {max_pages} pages of a list are shown; "
            "narrow the list by date (or sort oldest first) to see further."
        )
        wanted = max_pages
    return paginator.get_page(wanted), problem


# What a row of the list (HTML or JSON) shows of a cable.
ROW_FIELDS = ("reference_id", "date", "sender", "classification", "subject", "is_partial")


def cables_of(ids) -> list:
    """The cables of a page of ids, in that order, as list rows. One query."""
    ids = list(ids)
    found = Cable.objects.for_listing().only(*ROW_FIELDS, "sender__name").in_bulk(ids)
    return [found[cable_id] for cable_id in ids if cable_id in found]


def page_links(page, state: ListState, path: str, max_pages: int) -> dict:
    last = min(page.paginator.num_pages, max_pages)
    return {
        "number": page.number,
        "last": last,
        "capped": page.paginator.num_pages > max_pages,
        "previous": state.with_page(page.number - 1).url(path) if page.number > 1 else "",
        "next": state.with_page(page.number + 1).url(path) if page.number < last else "",
        "first_url": state.with_page(1).url(path) if page.number > 2 else "",
        "last_url": state.with_page(last).url(path) if page.number < last - 1 else "",
    }


def sort_links(state: ListState, current: str, searching: bool, path: str) -> list[dict]:
    return [
        {
            "label": label,
            "current": name == current,
            "url": state.replacing("sort", name).url(path),
        }
        for name, label in SORTS.items()
        if searching or name != "relevance"
    ]


def selection(filterset, state: ListState, path: str) -> list[dict]:
    """Each selected value with the link that removes it (and only it)."""
    chosen = []
    if state.first("q"):
        chosen.append(("Search", f"“{state.first('q')}”", state.removing("q")))
    for tag in filterset.cleaned("tag", []):
        chosen.append(("Tag", str(tag), state.removing("tag", tag.code)))
    for sender in filterset.cleaned("sender", []):
        chosen.append(("Sender", sender.name, state.removing("sender", sender.slug)))
    for label in filterset.cleaned("classification", []):
        chosen.append(("Classification", label, state.removing("classification", label)))
    if filterset.cleaned("references"):
        cited = state.first("references")
        chosen.append(("References", f"cite {cited.upper()}", state.removing("references")))
    for name, word in (("date_after", "From"), ("date_before", "To")):
        if state.first(name) and filterset.cleaned("date"):
            chosen.append((word, state.first(name), state.removing(name)))
    return [{"facet": f, "label": label, "remove_url": s.url(path)} for f, label, s in chosen]


def summary_json(result: Result) -> dict:
    cable = result.cable
    data = {
        "reference_id": cable.reference_id,
        "date": cable.date.isoformat().replace("+00:00", "Z") if cable.date else None,
        "sender": cable.sender.name if cable.sender else None,
        "classification": cable.classification,
        "subject": cable.subject,
        "is_partial": cable.is_partial,
        "url": absolute(result.url),
    }
    if result.snippet:
        data["snippet"] = {
            "anchor": result.snippet.anchor,
            "html": str(result.snippet.html),
            "url": absolute(result.snippet_url),
        }
    return data


def as_json(context: dict) -> dict:
    """The list page as data: the same count, facets and results as the HTML."""
    facets = context["facets"]
    pages = context["pages"]
    data = {
        "count": context["count"],
        "page": pages["number"],
        "pages": pages["last"],
        "next": absolute(pages["next"]) if pages["next"] else None,
        "previous": absolute(pages["previous"]) if pages["previous"] else None,
        "messages": context["problems"] + context["notes"],
        "facets": {
            "tag": facets["tag"].as_json(),
            "sender": facets["sender"].as_json(),
            "classification": facets["classification"].as_json(),
            "year": facets["date"].years.as_json(),
        },
        "results": [summary_json(result) for result in context["results"]],
    }
    if facets["date"].months:
        data["facets"]["month"] = facets["date"].months.as_json()
    return data


CSV_COLUMNS = [
    "reference_id",
    "date",
    "classification",
    "sender",
    "sender_code",
    "tags",
    "subject",
    "is_partial",
    "url",
]


class Echo:
    def write(self, value):
        return value


def csv_rows(cables):
    writer = csv.writer(Echo())
    yield writer.writerow(CSV_COLUMNS)
    tagged = cables.prefetch_related(
        Prefetch("cable_tags", CableTag.objects.select_related("tag").order_by("position"))
    )
    for cable in tagged.iterator(chunk_size=2000):
        yield writer.writerow(
            csv_cell(value)
            for value in [
                cable.reference_id,
                cable.date.isoformat().replace("+00:00", "Z") if cable.date else "",
                cable.classification,
                cable.sender.name if cable.sender else "",
                cable.sender.code if cable.sender else "",
                " ".join(
                    cable_tag.tag.code.replace(" ", "_") for cable_tag in cable.cable_tags.all()
                ),
                cable.subject,
                "1" if cable.is_partial else "0",
                absolute(cable.get_absolute_url()),
            ]
        )


def csv_response(cables) -> StreamingHttpResponse:
    """Every cable of the list (not one page), streamed, in the list's order."""
    response = StreamingHttpResponse(csv_rows(cables), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cables.csv"'
    return response


def tag_groups(filterset, find: str, state: ListState) -> list[dict]:
    """Tags grouped by kind, with counts over the cables ``filterset`` selects
    (``facets.tag_counts_of``), and ``find`` matched against code and description."""
    filtered = bool(state.params)
    counts = tag_counts_of(filterset)
    tags = Tag.objects.order_by("code")
    if find:
        tags = tags.filter(Q(code__icontains=find) | Q(description__icontains=find))
    selected = set(state.values("tag"))
    groups = {kind: [] for kind in TAG_KINDS}
    for tag in tags:
        count = counts.get(tag.id, 0)
        if filtered and not count:
            continue
        chosen = tag.code in selected
        groups.get(tag.kind, groups["other"]).append(
            {
                "code": tag.code,
                "description": tag.description,
                "count": count,
                "selected": chosen,
                "url": (state if chosen else state.adding("tag", tag.code)).url(
                    reverse("cable_list")
                ),
            }
        )
    return [
        {"kind": kind, "title": TAG_KINDS[kind], "tags": rows}
        for kind, rows in groups.items()
        if rows
    ]


def sender_groups(filterset, find: str, state: ListState) -> list[dict]:
    """Senders grouped by the country of their post (``posts.group_of``): first the
    Department and the missions to international organisations, then each country with
    its embassy and consulates, then any post of no known country; with counts over the
    cables ``filterset`` selects without its sender selection, and ``find`` matched
    against the sender's name, telegraphic address or country (``facets.sender_counts_of``,
    then one query for the senders counted)."""
    counts = sender_counts_of(filterset)
    senders = Sender.objects.filter(id__in=id_list(counts)).order_by()
    wanted = find.casefold()
    selected = set(state.values("sender"))
    by_group: dict[str, list] = {}
    for sender_id, name, slug, code in senders.values_list("id", "name", "slug", "code"):
        group = posts.group_of(name)
        country = "" if group in (posts.WASHINGTON_AND_MISSIONS, posts.OTHER) else group
        if wanted and not any(wanted in text.casefold() for text in (name, code, country)):
            continue
        chosen = slug in selected
        by_group.setdefault(group, []).append(
            {
                "name": name,
                "count": counts[sender_id],
                "selected": chosen,
                "url": (state if chosen else state.adding("sender", slug)).url(
                    reverse("cable_list")
                ),
            }
        )
    missions = by_group.pop(posts.WASHINGTON_AND_MISSIONS, [])
    others = by_group.pop(posts.OTHER, [])
    for senders in (missions, others, *by_group.values()):
        # The embassy first, then the consulates and others, by name whatever the collation.
        senders.sort(key=lambda sender: (not sender["name"].startswith("Embassy"), sender["name"]))
    countries = [
        {"title": country, "senders": senders} for country, senders in sorted(by_group.items())
    ]
    sections = [
        {"title": posts.WASHINGTON_AND_MISSIONS, "senders": missions},
        {"title": "By country", "countries": countries},
        {"title": "Posts of no known country", "senders": others},
    ]
    return [section for section in sections if section.get("senders") or section.get("countries")]
