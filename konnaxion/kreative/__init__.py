"""Kreative."""
