"""What reads the archive for its pages: filters, search, facets, results and the lists."""
