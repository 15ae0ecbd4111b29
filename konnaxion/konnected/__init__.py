"""KonnectED."""
