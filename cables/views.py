import re

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from .exports import cable_as_json
from .models import Cable, Sender, Tag

SERIAL_WITH_ZEROS = re.compile(r"^(\d{2}[A-Z][A-Z-]*?)0+(\d+)$")
ANCHOR = re.compile(r"[pt][0-9]{1,4}(?:-[0-9]{1,3})?")


def canonical_reference_id(reference_id: str) -> str:
    """``08mexico02160`` -> ``08MEXICO2160``: the form the archive's URLs use."""
    reference_id = reference_id.upper()
    match = SERIAL_WITH_ZEROS.match(reference_id)
    return f"{match.group(1)}{match.group(2)}" if match else reference_id


def find_cable(reference_id: str, queryset=None):
    """The cable, or a redirect to its canonical address, or a 404."""
    queryset = Cable.objects.all() if queryset is None else queryset
    cable = queryset.filter(reference_id=reference_id).first()
    if cable is not None:
        return cable, None
    canonical = canonical_reference_id(reference_id)
    if canonical != reference_id and Cable.objects.filter(reference_id=canonical).exists():
        return None, canonical
    raise Http404(f"No cable {reference_id} in the archive.")


def redirect_to_canonical(request, view_name: str, reference_id: str, **kwargs):
    response = redirect(view_name, reference_id=reference_id, permanent=True, **kwargs)
    if request.META.get("QUERY_STRING"):
        response["Location"] += "?" + request.META["QUERY_STRING"]
    return response


@require_safe
def home(request):
    totals = Cable.objects.aggregate(cables=Count("id"), first=Min("date"), last=Max("date"))
    context = {
        "totals": totals,
        "sender_count": Sender.objects.count(),
        "tag_count": Tag.objects.count(),
        "latest": Cable.objects.for_listing().newest_first()[:10],
    }
    return render(request, "cables/home.html", context)


@require_safe
def cable_list(request):
    cables = Cable.objects.for_listing().newest_first()
    paginator = Paginator(cables, settings.CABLES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page": page, "cables": page.object_list, "paginator": paginator}
    return render(request, "cables/cable_list.html", context)


@require_safe
def cable_detail(request, reference_id):
    cable, canonical = find_cable(reference_id, Cable.objects.for_page())
    if canonical:
        return redirect_to_canonical(request, "cable_detail", canonical)
    retired = request.GET.get("retired", "")
    context = {
        "cable": cable,
        "cable_tags": cable.cable_tags.all(),
        "paragraphs": cable.paragraphs.all(),
        "references": cable.references.all(),
        "retired_anchor": retired if ANCHOR.fullmatch(retired) else "",
    }
    return render(request, "cables/cable_detail.html", context)


@require_safe
def paragraph_detail(request, reference_id, anchor):
    cable, canonical = find_cable(reference_id, Cable.objects.for_page())
    if canonical:
        return redirect_to_canonical(request, "paragraph_detail", canonical, anchor=anchor)
    paragraphs = list(cable.paragraphs.all())
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
        "previous": paragraphs[index - 1] if index > 0 else None,
        "next": paragraphs[index + 1] if index + 1 < len(paragraphs) else None,
    }
    return render(request, "cables/paragraph_detail.html", context)


@require_safe
def cable_raw(request, reference_id):
    cable, canonical = find_cable(reference_id)
    if canonical:
        return redirect_to_canonical(request, "cable_raw", canonical)
    return HttpResponse(cable.raw_text, content_type="text/plain; charset=utf-8")


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
