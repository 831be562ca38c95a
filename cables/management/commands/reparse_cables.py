import sys

from django.core.management.base import BaseCommand

from cables.management.commands.import_cables import Progress
from cables.models import Cable
from cables.writing.importing import reparse_cables


class Command(BaseCommand):
    help = "Re-derive every cable's fields and paragraphs from its stored raw text."

    def add_arguments(self, parser):
        parser.add_argument("reference_ids", nargs="*", help="only these cables (default: all)")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, reference_ids, batch_size, no_progress, **options):
        queryset = Cable.objects.all()
        if reference_ids:
            queryset = queryset.filter(reference_id__in=reference_ids)
        progress = None
        if not no_progress and sys.stderr.isatty():
            progress = Progress(sys.stderr, queryset.count())
        report = reparse_cables(queryset, batch_size=batch_size, progress=progress)
        if progress:
            progress.finish()
        for failure in report.failures:
            self.stderr.write(f"failed: {failure}")
        self.stdout.write(
            f"updated {report.updated}, unchanged {report.unchanged}, failed {report.failed}"
        )
