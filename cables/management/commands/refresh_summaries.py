import time

from django.core.management.base import BaseCommand

from cables.reading import summaries


class Command(BaseCommand):
    help = (
        "Count the facets of the whole archive and of each tag, sender, classification and "
        "year again (cables/reading/summaries.py). Imports do this themselves; run it after "
        "changing cables by other means, such as deleting them in the admin."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        stored = summaries.refresh()
        self.stdout.write(f"stored {stored:,} counts in {time.monotonic() - started:.1f} s")
