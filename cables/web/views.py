from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..models import Cable, Classification, Sender, Tag
from ..reading import listing, search
from ..reading.exports import cable_as_json
from ..reading.facets import facets_for, stored_scope
from ..reading.filters import PARAMETERS, CableFilter, ListState
from ..reading.graph import referenced_by, references_of
from ..reading.limits import limited
from ..reading.results import result_set, stored_ids
from .caching import cached_page
from .citing_views import citation_context
from .lookup import ANCHOR, find_cable, redirect_to_canonical


@cached_page
@require_safe
def home(request):
    context = {
        "totals": Cable.objects.totals(),
        "latest": Cable.objects.for_listing().newest_first()[:10],
    }
    return render(request, "cables/home.html", context)


# The list shows at most this many pages: twice the release, so every page of it. Pages
# are found as ids along an index or in the request's small table (results.py), so a
# deep page costs little; the cap only bounds what a made-up URL can ask.
LIST_MAX_PAGES = 10_000


@cached_page
@require_safe
@limited
def cable_list(request):
    """The faceted list: every filter, the search and the sort are in the URL."""
    state = ListState.from_query(request.GET)
    if state.query_string() != request.META.get("QUERY_STRING", ""):
        return redirect(state.url(request.path))
    filterset = CableFilter(request.GET, queryset=Cable.objects.all())
    problems = filterset.problems()
    problems += [f"There is no parameter “{name}”; it was ignored." for name in state.unknown()]
    query = search.parse_query(filterset.cleaned("q", ""))
    notes = [query.note] if query.note else []
    sort = filterset.cleaned("sort") or ("relevance" if query else "newest")
    if sort == "relevance" and not query:
        notes.append("Sorting by relevance needs a search; the cables are newest first.")
        sort = "newest"
    if filterset.cleaned("format") == "csv":
        cables = filterset.qs.for_listing()
        if sort == "relevance":
            cables = search.order_by_relevance(cables, query)
        else:
            cables = cables.oldest_first() if sort == "oldest" else cables.newest_first()
        return listing.csv_response(cables)
    # Stored counts (no filter, or one tag, sender, classification or year) need only
    # the page; any other list is worked out once, in memory (cables/reading/results.py).
    scope = stored_scope(filterset)
    if scope is not None:
        count = scope.total()
        ids = stored_ids(filterset.qs, sort, count)
    else:
        sets = result_set(filterset, query, sort)
        count, ids = sets.count, sets.ordered_ids(sort)
        notes += [sets.note] if sets.note else []
    page, page_problem = listing.page_of(ids, request.GET.get("page"), LIST_MAX_PAGES, count)
    page.object_list = listing.cables_of(page.object_list)
    problems += [page_problem] if page_problem else []
    facets = facets_for(filterset, state, request.path, scope or sets)
    snippets = search.snippets(query, [cable.id for cable in page.object_list])
    results = [listing.Result(cable, snippets.get(cable.id)) for cable in page.object_list]
    context = {
        "state": state,
        "query": query,
        "problems": problems,
        "notes": notes,
        "count": page.paginator.count,
        "page": page,
        "pages": listing.page_links(page, state, request.path, LIST_MAX_PAGES),
        "results": results,
        "facets": facets,
        "selection": listing.selection(filterset, state, request.path),
        "clear_url": request.path if state.filters_only().params else "",
        "sorts": listing.sort_links(state, sort, bool(query), request.path),
        "search_hidden": state.filters_only().removing("q").params,
        "dates_hidden": state.filters_only().removing("date_after").removing("date_before").params,
        "date_after": state.first("date_after"),
        "date_before": state.first("date_before"),
        "json_url": state.with_format("json").url(request.path),
        "csv_url": state.with_format("csv").url(request.path),
    }
    if filterset.cleaned("format") == "json":
        return JsonResponse(
            listing.as_json(context), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
    return render(request, "cables/cable_list.html", context)


@cached_page
@require_safe
def tag_list(request):
    """The tag glossary: every tag with its description and count, grouped by kind; with
    list filters in the URL, the counts are over those cables and links add to them."""
    return glossary(request, "cables/tag_list.html", listing.tag_groups, facet="")


@require_safe
def tag_detail(request, code):
    tag = Tag.objects.filter(code=code.upper()).first()
    if tag is None:
        raise Http404(f"No tag {code} in the archive.")
    return redirect(ListState((("tag", tag.code),)).url(reverse("cable_list")))


@cached_page
@require_safe
def sender_list(request):
    """Every sender with its count, grouped by its post's country; with list filters in the URL,
    the counts are over those cables (without the sender selection)."""
    return glossary(request, "cables/sender_list.html", listing.sender_groups, facet="sender")


@limited
def glossary(request, template: str, make_groups, facet: str):
    """A full list of one facet's values (tags or senders) with counts over the cables the
    URL's filters select (``make_groups`` decides which selection its counts leave out;
    ``facet`` names it, so a URL with only that selection is not called filtered)."""
    state = ListState.from_query(request.GET)
    if state.query_string() != request.META.get("QUERY_STRING", ""):
        return redirect(state.url(request.path))
    filterset = CableFilter(request.GET, queryset=Cable.objects.all())
    problems = filterset.problems()
    problems += [
        f"There is no parameter “{name}”; it was ignored." for name in state.unknown(PARAMETERS)
    ]
    find = state.first("find")[:100]
    filters = state.filters_only()
    context = {
        "groups": make_groups(filterset, find, filters),
        "find": find,
        "problems": problems,
        "filtered": bool((filters.removing(facet) if facet else filters).params),
        "list_url": filters.url(reverse("cable_list")),
        "hidden": filters.params,
    }
    return render(request, template, context)


@require_safe
def sender_detail(request, slug):
    sender = Sender.objects.filter(slug=slug.lower()).first()
    if sender is None:
        raise Http404(f"No sender {slug} in the archive.")
    return redirect(ListState((("sender", sender.slug),)).url(reverse("cable_list")))


@cached_page
@require_safe
def classification_list(request):
    """The six classifications in order of level, each with its count."""
    counts = dict(
        Cable.objects.order_by()
        .values("classification")
        .annotate(count=Count("id"))
        .values_list("classification", "count")
    )
    rows = [
        {
            "label": label,
            "count": counts.get(label, 0),
            "url": ListState((("classification", label),)).url(reverse("cable_list")),
        }
        for label in Classification.values
    ]
    return render(request, "cables/classification_list.html", {"rows": rows})


@require_safe
def date_year(request, year):
    state = ListState((("date_after", f"{year:04d}-01-01"), ("date_before", f"{year:04d}-12-31")))
    return redirect(state.url(reverse("cable_list")))


@cached_page
@require_safe
def cable_detail(request, reference_id):
    cable, canonical = find_cable(reference_id, Cable.objects.for_page())
    if canonical:
        return redirect_to_canonical(request, "cable_detail", canonical)
    retired = request.GET.get("retired", "")
    context = {
        "cable": cable,
        "cable_tags": cable.cable_tags.all(),
        "paragraphs": with_links(cable, cable.paragraphs.all()),
        "references": references_of(cable),
        "referenced_by": list(referenced_by(cable)),
        "retired_anchor": retired if ANCHOR.fullmatch(retired) else "",
        **citation_context(cable),
    }
    return render(request, "cables/cable_detail.html", context)


def with_links(cable, paragraphs) -> list:
    """The paragraphs, each with its place in the cable and its permalink, made from the
    cable's URL reversed once (two reversals a paragraph would be a large share of a long
    cable's page). The URL scheme puts a paragraph's page under its cable's, and a test
    checks these are the URLs ``Paragraph.get_absolute_url`` and ``get_in_cable_url`` give."""
    cable_url = cable.get_absolute_url()
    paragraphs = list(paragraphs)
    for paragraph in paragraphs:
        paragraph.in_cable_url = f"{cable_url}#{paragraph.anchor}"
        paragraph.permalink = f"{cable_url}{paragraph.anchor}/"
    return paragraphs


@cached_page
@require_safe
def paragraph_detail(request, reference_id, anchor):
    cable, canonical = find_cable(reference_id, Cable.objects.for_page())
    if canonical:
        return redirect_to_canonical(request, "paragraph_detail", canonical, anchor=anchor)
    paragraphs = with_links(cable, cable.paragraphs.all())
    index = next((i for i, paragraph in enumerate(paragraphs) if paragraph.anchor == anchor), None)
    if index is None:
        if cable.retired_anchors.filter(anchor=anchor).exists():
            # A later version of the cable lost this paragraph: the citation still lands.
            return redirect(f"{cable.get_absolute_url()}?retired={anchor}")
        raise Http404(f"Cable {cable.reference_id} has no paragraph {anchor}.")
    context = {
        "cable": cable,
        "cable_tags": cable.cable_tags.all(),
        "paragraph": paragraphs[index],
        "shown": paragraphs[index : index + 1],
        "previous": paragraphs[index - 1] if index > 0 else None,
        "next": paragraphs[index + 1] if index + 1 < len(paragraphs) else None,
        **citation_context(cable, paragraphs[index]),
    }
    return render(request, "cables/paragraph_detail.html", context)


@cached_page
@require_safe
def cable_raw(request, reference_id):
    cable, canonical = find_cable(reference_id)
    if canonical:
        return redirect_to_canonical(request, "cable_raw", canonical)
    return HttpResponse(cable.raw_text, content_type="text/plain; charset=utf-8")


@cached_page
@require_safe
def cable_json(request, reference_id):
    cable, canonical = find_cable(reference_id, Cable.objects.for_page())
    if canonical:
        return redirect_to_canonical(request, "cable_json", canonical)
    return JsonResponse(
        cable_as_json(cable), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )


def not_found(request, exception=None):
    message = (
        exception.args[0]
        if exception and exception.args and isinstance(exception.args[0], str)
        else ""
    )
    return render(request, "404.html", {"message": message}, status=404)
