from django.core.management.base import BaseCommand
from django.db import transaction

from cables import search
from cables.caching import bump_version


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from the stored text, in bulk. Triggers keep "
        "it in step with every import; run this after loading data by other means, or "
        "after a very large import to compact the index. An index left paused by a "
        "stopped bulk load gets its triggers back too."
    )

    def handle(self, *args, **options):
        # Searches may find more (or less) afterwards: cached pages go stale with it.
        with transaction.atomic():
            if search.index_paused():
                search.resume_index()  # triggers re-created and the index rebuilt, together
                done = "The index was paused: triggers re-created, index rebuilt."
            else:
                done = search.rebuild_index()
            bump_version()
        self.stdout.write(done)
