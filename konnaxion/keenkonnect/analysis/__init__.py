"""Analysis of blueprint files: text, metadata, measurements, hashes, keywords and previews.

Pure functions over seekable binary files (a blob opened with `blob_open`, or any file); nothing
here reads or writes the database except `keywords.tags_matching`. Formats, limits and the diff
shape are described in docs/analysis.md.
"""

from konnaxion.keenkonnect.analysis.errors import AnalysisFailed

__all__ = ["AnalysisFailed"]
