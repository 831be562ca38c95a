import io
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cables.parsing import read_paths
from cables.parsing.readers import CABLE_SUFFIXES, read_csv
from cables.writing import search_index
from cables.writing.importing import Outcome, import_items


class Progress:
    """A one-line progress display with rate and ETA, drawn only on a terminal."""

    def __init__(self, stream, total_files: int | None):
        self.stream = stream
        self.total = total_files
        self.done = 0
        self.started = time.monotonic()
        self.last_drawn = 0.0

    def __call__(self, outcome: Outcome) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last_drawn < 0.2:
            return
        self.last_drawn = now
        self.draw(now)

    def draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        if self.total and self.done <= self.total:
            width = 30
            filled = int(width * self.done / self.total)
            eta = (self.total - self.done) / rate if rate else 0
            line = (
                f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/~{self.total} "
                f"{rate:.0f} cables/s, ETA {eta:.0f}s"
            )
        else:
            line = f"{self.done} cables, {rate:.0f} cables/s"
        self.stream.write(f"\r{line:<79}")
        self.stream.flush()

    def finish(self) -> None:
        self.draw(time.monotonic())
        self.stream.write("\n")


def count_files(paths: list[str]) -> int | None:
    """About how many cables are under ``paths``: cable files counted, the rows of a
    CSV estimated from its first megabytes; None when a zip hides the count."""
    total = 0
    for path in map(Path, paths):
        files = (
            [path] if path.is_file() else [child for child in path.rglob("*") if child.is_file()]
        )
        for file in files:
            suffix = file.suffix.lower()
            if suffix == ".zip":
                return None
            if suffix == ".csv":
                total += estimated_rows(file)
            elif suffix in CABLE_SUFFIXES:
                total += 1
    return total


def estimated_rows(path: Path, sample_bytes: int = 4 * 1024**2) -> int:
    """The rows of a large CSV, from the size of the rows in its first ``sample_bytes``
    (rows hold whole cables, with newlines, so lines cannot be counted instead)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        sample = handle.read(sample_bytes)
    text = sample.decode("utf-8", "ignore")
    rows = sum(1 for _ in read_csv(io.StringIO(text, newline=""), path.name))
    if len(sample) >= size:
        return rows
    return round(size / (len(sample) / max(rows - 1, 1)))  # the last row is cut short


class Command(BaseCommand):
    help = (
        "Import cables from .txt, Cablegate .html, cables.csv and .zip files, or folders of them."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files, zips or folders to import")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change, write nothing"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="never draw the progress bar"
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="for large loads: index the text for search once at the end, not row by row",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes that parse beside the one that writes (default: 1, no extra)",
        )

    def handle(
        self, *args, paths, dry_run=False, no_progress=False, workers=1, bulk=False, **options
    ):
        if search_index.index_paused():
            # An earlier bulk load was stopped before it rebuilt the index.
            self.stderr.write("The search index was left paused: rebuilding it first.")
            search_index.resume_index()
        if bulk and not dry_run:
            search_index.pause_index()
        try:
            report = self.load(paths, dry_run, no_progress, workers)
        finally:
            if bulk and not dry_run:
                self.stderr.write("Rebuilding the search index…")
                search_index.resume_index()
        for failure in report.failures:
            self.stderr.write(f"failed: {failure}")
        self.stdout.write(("dry run: " if dry_run else "") + report.summary())
        if report.failed and not report.total - report.failed:
            raise CommandError("no cable could be imported")

    def load(self, paths, dry_run, no_progress, workers):
        progress = None
        if not no_progress and sys.stderr.isatty():
            progress = Progress(sys.stderr, count_files(list(paths)))
        report = import_items(
            read_paths(paths), dry_run=dry_run, progress=progress, workers=workers
        )
        if progress:
            progress.finish()
        return report
