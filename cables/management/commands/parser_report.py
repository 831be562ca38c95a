from django.core.management.base import BaseCommand, CommandError

from cables.measuring.parser_report import measure


class Command(BaseCommand):
    help = (
        "Parse every file of a Cablegate corpus folder and measure each field against its"
        " MANIFEST.tsv and pages, both ways: recall and precision."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder with MANIFEST.tsv, such as ../shared/corpus")
        parser.add_argument(
            "--check",
            action="store_true",
            help="fail if a field is below its threshold in either direction (recall, precision)",
        )

    def handle(self, *args, folder, check=False, **options):
        report = measure(folder)
        self.stdout.write(report.table())
        self.stdout.write("\nDisagreements:\n")
        self.stdout.write(report.listing())
        below = report.below_threshold()
        if check and (below or report.crashes or report.failures):
            raise CommandError("; ".join(below + report.crashes + report.failures))
