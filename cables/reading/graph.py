"""The reference graph: which cables a cable's REF lines name, and which name it."""

from dataclasses import dataclass

from ..models import Cable


@dataclass
class Reference:
    reference_id: str
    cable: Cable | None  # None when the referenced cable is not in the archive


def references_of(cable: Cable) -> list[Reference]:
    """The cable's REF lines in order, each with its cable when the archive has it.

    ``cable.references`` should be prefetched (``for_page()`` does); one query finds
    which of them are in the archive, by canonical id or alias.
    """
    ids = [reference.reference_id for reference in cable.references.all()]
    if not ids:
        return []
    found = {
        target.reference_id: target
        for target in Cable.objects.filter(reference_id__in=ids).only(
            "reference_id", "subject", "date"
        )
    }
    return [Reference(reference_id, found.get(reference_id)) for reference_id in ids]


def referenced_by(cable: Cable):
    """Cables in the archive whose REF lines name this one, oldest first."""
    return (
        Cable.objects.citing(cable.reference_id)
        .only("reference_id", "subject", "date")
        .order_by("date", "reference_id")
    )
