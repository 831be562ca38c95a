"""The values of a live archive that look wrong, for ``check_archive``: warnings, as the
archive is whole whatever they say, each with a count and examples (reference ids).

What a value must be is ``cables/measuring/evidence.py``'s, shared with ``parser_report``.
"""

from ..measuring.evidence import reference_id_problem, subject_problem, tag_problem
from ..models import Cable, CableReference, CableTag, Tag
from ..parsing.tags import MOST_TAGS
from .check_report import EXAMPLES, Problem, Report, quote, reference_ids, rows


def suspicious_tags() -> Problem | None:
    codes = [code for code in Tag.objects.values_list("code", flat=True) if tag_problem(code)]
    used = CableTag.objects.filter(tag__code__in=codes)
    cables = used.values("cable").distinct().count()
    if not cables:
        return None
    examples = used.order_by("cable_id").values_list("cable__reference_id", "tag__code")
    return Problem(
        "values",
        f"{cables} cables carry tags that are neither listed nor tag-shaped ({len(codes)} tags)",
        [f"{reference_id}: {code!r}" for reference_id, code in examples[:EXAMPLES]],
        "see how the parser read their TAGS lines (parser_report); then reparse_cables",
    )


def crowded_cables() -> Problem | None:
    table = quote(CableTag._meta.db_table)
    crowded = rows(
        f"SELECT cable_id, count(*) FROM {table} GROUP BY cable_id HAVING count(*) > {MOST_TAGS}"
    )
    if not crowded:
        return None
    names = reference_ids(row[0] for row in crowded)
    return Problem(
        "values",
        f"{len(crowded)} cables have more than {MOST_TAGS} tags",
        [f"{name} ({count} tags)" for name, (_, count) in zip(names, crowded, strict=False)],
        "their TAGS lines were probably read past their end",
    )


def impossible_references() -> Problem | None:
    found, cables = [], set()
    references = CableReference.objects.order_by("cable_id", "position")
    for cable_id, citing, reference, date in references.values_list(
        "cable_id", "cable__reference_id", "reference_id", "cable__date"
    ).iterator(chunk_size=5000):
        if problem := reference_id_problem(reference, date.year if date else None):
            cables.add(cable_id)
            found.append(f"{citing} → {reference!r}: {problem}")
    if not found:
        return None
    return Problem(
        "values",
        f"{len(found)} references of {len(cables)} cables cannot be a cable's id",
        found[:EXAMPLES],
        "see how the parser read their REF lines (parser_report); then reparse_cables",
    )


def marked_subjects() -> Problem | None:
    marked = [
        (reference_id, subject)
        for reference_id, subject in Cable.objects.filter(subject__startswith="(")
        .order_by("id")
        .values_list("reference_id", "subject")
        .iterator(chunk_size=5000)
        if subject_problem(subject)
    ]
    if not marked:
        return None
    return Problem(
        "values",
        f"{len(marked)} subjects still start with a marking",
        [f"{reference_id}: {subject[:60]!r}" for reference_id, subject in marked[:EXAMPLES]],
        "the marking belongs in subject_marking: reparse_cables with a parser that moves it",
    )


def check_values(report: Report) -> None:
    """Values that look wrong: warnings, as the archive is whole whatever they say."""
    found = [check() for check in (suspicious_tags, crowded_cables, impossible_references)]
    found = [warning for warning in [*found, marked_subjects()] if warning]
    report.warnings += found
    if not found:
        report.passed.append(
            "values: every tag listed or tag-shaped, none of more than "
            f"{MOST_TAGS} tags, every reference a possible id, no subject with a marking"
        )
