"""Konnaxion: Kontact (collaboration & networking) and Stockage (secure versioned storage)."""

__version__ = "0.1.0"
