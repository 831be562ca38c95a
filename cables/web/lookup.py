"""Finding a cable by any form of its reference id, and redirecting to the canonical one."""

import re

from django.http import Http404
from django.shortcuts import redirect

from ..models import Cable, CableAlias

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
    # Another form the cable's id took: text-derived, or as the release misprinted it.
    alias = (
        CableAlias.objects.filter(alias__in={reference_id, canonical})
        .values_list("cable__reference_id", flat=True)
        .first()
    )
    if alias:
        return None, alias
    raise Http404(f"No cable {reference_id} in the archive.")


def redirect_to_canonical(request, view_name: str, reference_id: str, **kwargs):
    response = redirect(view_name, reference_id=reference_id, permanent=True, **kwargs)
    if request.META.get("QUERY_STRING"):
        response["Location"] += "?" + request.META["QUERY_STRING"]
    return response
