from django.core.management.base import BaseCommand

from cables.writing import search_index


class Command(BaseCommand):
    help = (
        "Rebuild the full-text search index from the stored text, in bulk. Triggers keep "
        "it in step with every import; run this after loading data by other means, or "
        "after a very large import to compact the index. An index left paused by a "
        "stopped bulk load gets its triggers back too."
    )

    def handle(self, *args, **options):
        if search_index.index_paused():
            search_index.resume_index()  # triggers re-created and the index rebuilt, together
            self.stdout.write("The index was paused: triggers re-created, index rebuilt.")
            return
        self.stdout.write(search_index.rebuild_index())
