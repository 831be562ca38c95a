"""What the archive's check reports, and the small SQL helpers its steps share: the
checks of cables/writing/checking.py and of cables/writing/value_checks.py.
"""

from dataclasses import dataclass, field

from django.db import connection

from ..models import Cable

EXAMPLES = 5  # cables (or rows) named per problem


@dataclass
class Problem:
    check: str  # which check found it
    detail: str  # what is wrong, with counts
    examples: list[str] = field(default_factory=list)  # reference ids or row ids
    repair: str = ""

    def __str__(self):
        text = f"{self.check}: {self.detail}"
        if self.examples:
            text += f" (e.g. {', '.join(self.examples)})"
        return text + (f"; {self.repair}" if self.repair else "")


@dataclass
class Report:
    facts: dict[str, int] = field(default_factory=dict)
    passed: list[str] = field(default_factory=list)  # what was checked and found right
    skipped: list[str] = field(default_factory=list)  # what was not checked, and why
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # values that look wrong
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def one(sql: str, params=()):
    return rows(sql, params)[0][0]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def reference_ids(cable_ids) -> list[str]:
    """The reference ids of some cable ids, for naming examples (unknown ids as ``#id``)."""
    cable_ids = list(cable_ids)[:EXAMPLES]
    known = dict(Cable.objects.filter(id__in=cable_ids).values_list("id", "reference_id"))
    return [known.get(cable_id, f"#{cable_id}") for cable_id in cable_ids]
