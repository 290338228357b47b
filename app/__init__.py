"""Xuncha (巡查): field inspection for civilized-city campaigns."""

__version__ = "0.1.0"
