"""Web front."""
