"""ethiKos."""
