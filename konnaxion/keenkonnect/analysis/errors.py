"""The one refusal of the analysis library: a file that cannot be analysed, with a reason."""

from __future__ import annotations

from typing import Any

from konnaxion.core.errors import ApplicationError


class AnalysisFailed(ApplicationError):
    """The file could not be analysed: `reason` is a stable code (`timeout`, `memory_limit`,
    `crashed`, `pdf_invalid`, `pdf_encrypted`, `image_invalid`, `pixel_flood`, `mesh_invalid`,
    `gltf_invalid`, ...) and the message says it for a person."""

    code = "analysis_failed"
    status = 422
    message = "The file could not be analysed."

    def __init__(self, reason: str, message: str | None = None, **details: Any) -> None:
        self.reason = reason
        super().__init__(message, details={"reason": reason, **details})
