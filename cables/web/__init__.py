"""The web layer: views, the citing views, uploads, the page cache, middleware, throttling."""
