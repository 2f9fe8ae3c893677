"""Kervan: segmentation, glossaries, gettext catalogs and translation memories for news articles."""

__version__ = "0.1.0"
