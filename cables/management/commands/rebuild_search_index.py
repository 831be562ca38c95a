from django.core.management.base import BaseCommand

from cables import search


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from the stored text, in bulk. Triggers keep "
        "it in step with every import; run this after loading data by other means, or "
        "after a very large import to compact the index."
    )

    def handle(self, *args, **options):
        self.stdout.write(search.rebuild_index())
