"""Read who classified a cable, and why, from its Classified By line."""

import re

CLASSIFIED_BY_REASONS = re.compile(
    r"^(?:\(U\)\s*)?(?:CLASSIFIED BY:?\s*)?(?P<who>.*?)[\s,;.]*"
    r"(?:\bFOR\s+)?\bREASONS?\s*:?\s*(?P<reasons>1\.[45].*?)[\s.]*$",
    re.IGNORECASE,
)


def split_classified_by(line: str) -> tuple[str, str]:
    """``Ambassador Anne W. Patterson for reasons 1.4 (b, d).`` ->
    (``Ambassador Anne W. Patterson``, ``1.4 (b, d)``): who classified, under which
    reasons of E.O. 12958. The reasons are empty when the line gives none."""
    match = CLASSIFIED_BY_REASONS.match(line.strip())
    if not match:
        return line.strip().rstrip(". "), ""
    return match.group("who").strip(" ,;."), match.group("reasons").strip()
