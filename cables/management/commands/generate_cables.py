import os
import sys

from django.core.management.base import BaseCommand, CommandError

from cables.generating import load_model, print_progress, write_corpus


class Command(BaseCommand):
    help = (
        "Write synthetic cables in the release's formats and shape (labelled SYNTHETIC), "
        "for load and scale testing: DIR/YYYY/MM/REFID.txt files, or one DIR/cables.csv."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="how many cables")
        parser.add_argument("--seed", default="0", help="the same seed gives the same cables")
        parser.add_argument("--out", required=True, help="the folder to write into")
        parser.add_argument(
            "--format",
            choices=("txt", "csv"),
            default="txt",
            help="txt: one file per cable (default); csv: one cables.csv, fastest to import",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="processes rendering cables (the output is the same for any number)",
        )
        parser.add_argument(
            "--corpus",
            default=None,
            help="the real corpus the word model learns from "
            "(default: $CABLE_CORPUS or ../shared/corpus)",
        )

    def handle(self, *args, count, seed, out, format, workers, corpus, **options):
        if count < 1:
            raise CommandError("--count must be at least 1")
        model = load_model(corpus)
        if model.warning:
            self.stderr.write(self.style.WARNING(model.warning))
        progress = print_progress(sys.stderr, count) if sys.stderr.isatty() else None
        try:
            summary = write_corpus(
                out,
                count,
                seed=seed,
                fmt=format,
                workers=max(1, workers),
                model=model,
                progress=progress,
            )
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        if progress:
            sys.stderr.write("\n")
        self.stdout.write(summary.line())
