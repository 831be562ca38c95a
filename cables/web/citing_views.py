"""Citation downloads, the citation guide, and the About the data page."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..models import Cable, Paragraph
from ..reading import citations, summaries
from ..reading.exports import absolute, cable_as_text
from .caching import cached_page
from .lookup import find_cable, redirect_to_canonical
from .markdown_pages import page


def citation_source(cable: Cable, paragraph: Paragraph | None = None) -> citations.CitationSource:
    path = cable.get_absolute_url() + (f"{paragraph.anchor}/" if paragraph else "")
    return citations.CitationSource(
        reference_id=cable.reference_id,
        sender=cable.sender.name if cable.sender else "",
        date=cable.date,
        subject=cable.subject,
        classification=cable.classification,
        url=absolute(path),
        paragraph=(paragraph.number or paragraph.anchor) if paragraph else "",
    )


def citation_context(cable: Cable, paragraph: Paragraph | None = None) -> dict:
    """The prose citations and download links shown on cable and paragraph pages."""
    source = citation_source(cable, paragraph)
    base = cable.get_absolute_url() + (f"{paragraph.anchor}/" if paragraph else "")
    return {
        "citations": [
            {"style": style, "label": label, "text": format_(source)}
            for style, (label, format_) in citations.PROSE_STYLES.items()
        ],
        "citation_downloads": [
            {"label": label, "url": f"{base}cite/{style}/"}
            for style, (label, _format, _type, _suffix) in citations.DOWNLOADS.items()
        ],
    }


def citation_download(source: citations.CitationSource, style: str, filename: str):
    if style not in citations.DOWNLOADS:
        raise Http404(f"No citation format {style}.")
    _label, format_, content_type, suffix = citations.DOWNLOADS[style]
    response = HttpResponse(format_(source), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{suffix}"'
    return response


@cached_page
@require_safe
def cable_citation(request, reference_id, style):
    cable, canonical = find_cable(reference_id, Cable.objects.select_related("sender"))
    if canonical:
        return redirect_to_canonical(request, "cable_citation", canonical, style=style)
    return citation_download(citation_source(cable), style, cable.reference_id)


@cached_page
@require_safe
def paragraph_citation(request, reference_id, anchor, style):
    cable, canonical = find_cable(reference_id, Cable.objects.select_related("sender"))
    if canonical:
        return redirect_to_canonical(
            request, "paragraph_citation", canonical, anchor=anchor, style=style
        )
    paragraph = cable.paragraphs.filter(anchor=anchor).first()
    if paragraph is None:
        raise Http404(f"Cable {cable.reference_id} has no paragraph {anchor}.")
    source = citation_source(cable, paragraph)
    return citation_download(source, style, f"{cable.reference_id}-{anchor}")


@cached_page
@require_safe
def cable_text(request, reference_id):
    cable, canonical = find_cable(reference_id, Cable.objects.for_page())
    if canonical:
        return redirect_to_canonical(request, "cable_text", canonical)
    return HttpResponse(cable_as_text(cable), content_type="text/plain; charset=utf-8")


@cached_page
@require_safe
def citing_guide(request):
    return render(request, "cables/markdown_page.html", {"title": "Citing", "body": page("citing")})


@cached_page
@require_safe
def about(request):
    counts = summaries.archive_counts()
    context = {
        "totals": Cable.objects.totals(),
        "paragraph_count": counts["paragraphs"],
        "partial_count": counts["partial"],
        "body": page("about"),
    }
    return render(request, "cables/about.html", context)
