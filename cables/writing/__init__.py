"""What writes the archive: the import (one by one or in bulk), the search index's upkeep
and the archive's check."""
