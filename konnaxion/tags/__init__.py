"""The platform's one tag vocabulary, shared by every module."""
