"""The archive's version: one row, bumped by every write, read by every cached page.

The public pages change only when the archive is written: imports (``import_cables``,
the admin's upload), ``reparse_cables``, a bulk load's search index rebuilt, the admin's
edits and deletes. Each of these calls ``bump_version()`` inside the transaction that
writes, and the page cache (cables/web/caching.py) keeps a page under the version it read
before building it; the in-memory facts (cables/reading/facts.py) are rebuilt when it
changes.

Why inside the transaction and not after its commit: readers see the new rows and the
new version together, at the commit. A page stored under the old version may have been
built from the new rows (it read the version just before the commit), which only makes
it fresher; a page built from the old rows can never be stored under the new version,
since it read that version first. Bumped after the commit, the pages stored under the
old version would still be served in between, and for good if the process died there.
"""

from django.db.models import F
from django.utils import timezone

from .models import ArchiveVersion


def bump_version() -> None:
    """Make every stored page stale once the caller's transaction commits. Call it inside
    the transaction that writes (see the module's docstring); one UPDATE of one row."""
    now = timezone.now()
    if ArchiveVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
        return
    # The row is gone (a flushed database): make it again. Its new changed_at is part of
    # every key, so no page stored under an earlier version 1 comes back.
    ArchiveVersion.objects.bulk_create(
        [ArchiveVersion(pk=1, version=1, changed_at=now)], ignore_conflicts=True
    )
    ArchiveVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now)


def current_version() -> str | None:
    """The archive's version and when it changed; None if the row is missing. One query,
    by primary key."""
    row = ArchiveVersion.objects.filter(pk=1).values_list("version", "changed_at").first()
    return f"{row[0]}@{row[1].isoformat()}" if row else None
