"""Uploads in the admin: keep the files, check them (a dry run), import them, record it all.

The reading and the writing are the import command's own: ``cables.parsing`` readers
and ``cables.writing.importing.import_items``. What is here is only what an upload adds: the
files wait in a temporary folder (stored by number, never by the uploaded name)
between the dry run and the import, the work runs in a background thread so no
request waits for it, and every outcome goes into the upload's ImportRecord in
batches, which is also how the record page shows progress.
"""

import logging
import os
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from ..models import ImportOutcome, ImportRecord
from ..parsing import ParseError, SourceText
from ..parsing.archives import MAX_ZIP_MEMBER_BYTES, ZipLimits, read_zip
from ..parsing.readers import read_bytes, read_csv
from ..writing.importing import Outcome, import_items

logger = logging.getLogger(__name__)

BATCH = 200  # outcomes are written, and progress shown, this many at a time
BATCH_SECONDS = 2.0  # or at least this often
STALE_AFTER = timedelta(minutes=10)  # a running job silent this long was stopped
Status = ImportRecord.Status


def too_big(content_length: int) -> str:
    """Why an upload of this many bytes is refused; "" when it is not."""
    limit = settings.UPLOAD_MAX_BYTES
    if content_length <= limit:
        return ""
    return (
        f"This upload is {filesizeformat(content_length)}, more than the "
        f"{filesizeformat(limit)} an upload may be (the UPLOAD_MAX_BYTES setting). "
        "Upload fewer files at a time, or load big files on the server with "
        "“manage.py import_cables”."
    )


def zip_limits() -> ZipLimits:
    return ZipLimits(
        members=settings.UPLOAD_ZIP_MAX_MEMBERS,
        total_bytes=settings.UPLOAD_ZIP_MAX_BYTES,
        ratio=settings.UPLOAD_ZIP_MAX_RATIO,
    )


# --- keeping the files ---------------------------------------------------------------


def save_upload(files, user, import_now: bool) -> ImportRecord:
    """Keep the uploaded files in a new temporary folder, and make their record."""
    root = Path(settings.UPLOAD_TEMP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=root))
    described = []
    for index, upload in enumerate(files):
        with open(folder / f"{index}.upload", "wb") as stream:
            for chunk in upload.chunks():
                stream.write(chunk)
        described.append({"name": unique_name(upload.name, described), "size": upload.size})
    return ImportRecord.objects.create(
        user=user,
        files=described,
        temp_dir=str(folder),
        expected=expected_count(folder, described),
        status=Status.IMPORTING if import_now else Status.CHECKING,
        dry_run=not import_now,
    )


def unique_name(name: str, files: list[dict]) -> str:
    """The uploaded name (only ever a label), made unique within the upload."""
    taken = {file["name"] for file in files}
    stem, suffix = os.path.splitext(name[:200] or "unnamed")
    candidate, number = f"{stem}{suffix}", 2
    while candidate in taken:
        candidate, number = f"{stem} ({number}){suffix}", number + 1
    return candidate


def expected_count(folder: Path, files: list[dict]) -> int | None:
    """About how many cables the upload holds, for the progress display; None if unknown."""
    total = 0
    for index, file in enumerate(files):
        suffix = os.path.splitext(file["name"])[1].lower()
        if suffix == ".csv":
            return None
        if suffix == ".zip":
            try:
                with zipfile.ZipFile(folder / f"{index}.upload") as archive:
                    total += sum(1 for member in archive.infolist() if not member.is_dir())
            except (zipfile.BadZipFile, OSError, EOFError, ValueError):
                total += 1
        else:
            total += 1
    return total


def remove_files(record: ImportRecord) -> None:
    folder = Path(record.temp_dir) if record.temp_dir else None
    if folder and folder.parent == Path(settings.UPLOAD_TEMP_DIR):
        shutil.rmtree(folder, ignore_errors=True)
    record.temp_dir = ""


def discard_expired() -> None:
    """Remove the files of dry runs nobody confirmed within UPLOAD_KEEP_HOURS."""
    cutoff = timezone.now() - timedelta(hours=settings.UPLOAD_KEEP_HOURS)
    for record in ImportRecord.objects.filter(status=Status.CHECKED, updated_at__lt=cutoff):
        remove_files(record)
        record.status = Status.CANCELLED
        record.error = f"not confirmed within {settings.UPLOAD_KEEP_HOURS} hours"
        record.save(update_fields=["temp_dir", "status", "error", "updated_at"])


# --- reading them, as import_cables reads files ---------------------------------------


def read_upload(record: ImportRecord) -> Iterator[SourceText | ParseError]:
    for index, file in enumerate(record.files):
        yield from read_stored(Path(record.temp_dir) / f"{index}.upload", file["name"])


def read_stored(path: Path, name: str) -> Iterator[SourceText | ParseError]:
    """One stored file's cables, named as it was uploaded: zips and big CSVs streamed."""
    suffix = os.path.splitext(name)[1].lower()
    try:
        size = path.stat().st_size
        if suffix == ".zip":
            with open(path, "rb") as stream:
                yield from read_zip(stream, name, 0, read_bytes, zip_limits())
        elif suffix == ".csv" and size > MAX_ZIP_MEMBER_BYTES:
            # Streamed, as import_cables reads the release's 1.7 GB cables.csv.
            with open(path, encoding="utf-8", errors="replace", newline="") as stream:
                yield from read_csv(stream, name)
        elif size > MAX_ZIP_MEMBER_BYTES:
            yield ParseError(
                f"{filesizeformat(size)} is too big for one cable (at most "
                f"{filesizeformat(MAX_ZIP_MEMBER_BYTES)}): not read",
                name,
            )
        else:
            yield from read_bytes(path.read_bytes(), name)
    except OSError as error:
        yield ParseError(f"cannot read the uploaded file: {error.strerror or error}", name)


# --- running the check or the import --------------------------------------------------


COUNTS = ["dry_run", "created", "updated", "unchanged", "failed", "updated_at"]


class Recorder:
    """Writes outcomes and counts to the record in batches: flat memory, visible progress."""

    def __init__(self, record: ImportRecord):
        self.record = record
        self.names = sorted((file["name"] for file in record.files), key=len, reverse=True)
        self.pending: list[ImportOutcome] = []
        self.flushed_at = time.monotonic()

    def __call__(self, outcome: Outcome) -> None:
        record = self.record
        setattr(record, outcome.status, getattr(record, outcome.status) + 1)
        self.pending.append(
            ImportOutcome(
                record=record,
                file=self.file_of(outcome.source),
                source=outcome.source[-500:],
                reference_id=outcome.reference_id[:64],
                status=outcome.status,
                changed_fields=outcome.changed_fields,
                reason=outcome.reason,
                note=outcome.note,
            )
        )
        if len(self.pending) >= BATCH or time.monotonic() - self.flushed_at > BATCH_SECONDS:
            self.flush()

    def file_of(self, source: str) -> str:
        for name in self.names:
            if source == name or source.startswith(f"{name}:"):
                return name
        return source[:255]

    def flush(self) -> None:
        ImportOutcome.objects.bulk_create(self.pending)
        self.pending = []
        self.record.save(update_fields=COUNTS)
        self.flushed_at = time.monotonic()


def run(record: ImportRecord, dry_run: bool) -> None:
    """Check (dry run) or import a stored upload, recording every outcome."""
    record.outcomes.all().delete()
    record.dry_run = dry_run
    record.created = record.updated = record.unchanged = record.failed = 0
    recorder = Recorder(record)
    recorder.flush()  # the record page shows the new run from now on
    try:
        import_items(read_upload(record), dry_run=dry_run, progress=recorder)
        recorder.flush()
    except Exception as error:  # a bug or a lost database: say so on the record page
        logger.exception("upload %s stopped", record.pk)
        record.status, record.error = Status.STOPPED, f"stopped by an error: {error!r}"
    else:
        record.status = Status.CHECKED if dry_run else Status.DONE
        if not dry_run:
            remove_files(record)
    record.finished_at = timezone.now()
    record.save()
    summary = (
        f"created {record.created}, updated {record.updated}, "
        f"unchanged {record.unchanged}, failed {record.failed}"
    )
    LogEntry.objects.log_actions(
        record.user_id,
        [record],
        CHANGE,
        f"{'Dry run' if dry_run else 'Import'} {record.get_status_display()}: {summary}",
        single_object=True,
    )


def run_in_thread(record_id: int, dry_run: bool) -> None:
    try:
        run(ImportRecord.objects.get(pk=record_id), dry_run)
    finally:
        connection.close()  # this thread's own connection


def start(record: ImportRecord, dry_run: bool) -> None:
    """Run the check or the import in a background thread (or right away, if so set)."""
    if not settings.UPLOAD_IN_BACKGROUND:
        run(record, dry_run)
        return
    threading.Thread(
        target=run_in_thread,
        args=(record.pk, dry_run),
        name=f"cable-upload-{record.pk}",
        daemon=True,
    ).start()


def is_stale(record: ImportRecord) -> bool:
    """A job that stopped reporting: the server that ran it was restarted."""
    return record.status in ImportRecord.RUNNING and (
        record.updated_at < timezone.now() - STALE_AFTER
    )


def is_waiting(record: ImportRecord) -> bool:
    """Whether the upload's files may be imported or discarded now (as ``waiting``)."""
    return bool(record.temp_dir) and (
        record.status in (Status.CHECKED, Status.STOPPED) or is_stale(record)
    )


def waiting(now=None) -> Q:
    """Records whose files may be imported or discarded: checked, stopped or stale."""
    now = now or timezone.now()
    return Q(status__in=[Status.CHECKED, Status.STOPPED]) | Q(
        status__in=ImportRecord.RUNNING, updated_at__lt=now - STALE_AFTER
    )


def claim_for_import(record: ImportRecord) -> bool:
    """Mark a checked upload as importing; False if it is not waiting (e.g. a second click)."""
    now = timezone.now()
    claimed = (
        ImportRecord.objects.filter(waiting(now), pk=record.pk)
        .exclude(temp_dir="")
        .update(status=Status.IMPORTING, error="", finished_at=None, updated_at=now)
    )
    record.refresh_from_db()
    return bool(claimed)


def cancel(record: ImportRecord) -> bool:
    """Discard a checked upload's files without importing; False if it is not waiting."""
    now = timezone.now()
    if not ImportRecord.objects.filter(waiting(now), pk=record.pk).update(
        status=Status.CANCELLED, updated_at=now
    ):
        return False
    record.refresh_from_db()
    remove_files(record)
    record.finished_at = now
    record.save(update_fields=["temp_dir", "finished_at", "updated_at"])
    return True
