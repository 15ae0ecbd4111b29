"""Smart Vote."""
