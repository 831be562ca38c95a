import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cables.writing.checking import check_archive


class Command(BaseCommand):
    help = (
        "Check that the archive is consistent: no orphan rows, every cable whole (its rows "
        "numbered 1..n; a sample re-parsed from its raw text), and on SQLite the search "
        "index in step with the text. Names each problem; exits 1 if there is any. Also "
        "warns of values that look wrong (odd tags, impossible references, marked subjects)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample",
            type=int,
            default=1000,
            help="cables re-parsed at random, besides the newest and every cable without "
            "paragraphs (default 1000, a few seconds; 0: none; the archive's size: all)",
        )
        parser.add_argument(
            "--newest",
            type=int,
            default=200,
            help="the newest cables, always re-parsed (default 200: one import batch)",
        )
        parser.add_argument("--seed", type=int, help="the sample's seed (default: random)")
        parser.add_argument(
            "--skip-integrity-check",
            action="store_true",
            help="SQLite: skip FTS5's integrity-check, which reads and tokenizes all the text",
        )

    def handle(self, *args, sample, newest, seed, skip_integrity_check, **options):
        def progress(step: str) -> None:
            if sys.stderr.isatty():
                self.stderr.write(f"checking {step}…")

        report = check_archive(
            sample=max(sample, 0),
            newest=max(newest, 0),
            seed=seed,
            integrity=not skip_integrity_check,
            progress=progress,
        )
        database = connection.settings_dict["NAME"]
        self.stdout.write(
            f"{connection.vendor} {database}: "
            + ", ".join(f"{value:,} {name}" for name, value in report.facts.items())
        )
        for line in report.passed:
            self.stdout.write(f"ok       {line}")
        for line in report.skipped:
            self.stdout.write(f"skipped  {line}")
        for problem in report.problems:
            self.stdout.write(f"PROBLEM  {problem}")
        for warning in report.warnings:
            self.stdout.write(f"WARNING  {warning}")
        timing = ", ".join(f"{name} {seconds:g} s" for name, seconds in report.seconds.items())
        self.stdout.write(f"time: {timing}")
        if report.problems:
            raise CommandError(
                f"{len(report.problems)} problem{'s' if len(report.problems) > 1 else ''} found"
            )
        warned = f" ({len(report.warnings)} warnings of its values)" if report.warnings else ""
        self.stdout.write(f"The archive is consistent.{warned}")
