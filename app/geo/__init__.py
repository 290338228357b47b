"""Geo: coordinate systems, zone validation, the zone index and locate. Pure: no HTTP, no database."""
