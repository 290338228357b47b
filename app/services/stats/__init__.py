"""Dashboard figures: counts (figures), filters, indicators (trend, ranking, hot spots)."""
