"""Open311 GeoReport v2: reads (requests), api keys (keys), POST (post)."""
