"""The platform's one file store: encrypted, content-addressed blobs (docs/storage.md)."""
