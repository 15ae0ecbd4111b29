"""EkoH."""
