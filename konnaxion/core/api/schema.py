"""OpenAPI schema additions: the uniform error body, documented on every operation."""

from __future__ import annotations

from typing import Any

ERROR_STATUSES = {
    "400": "The request is not valid (`invalid`, `parse_error`).",
    "401": "Not signed in, or the token is unknown.",
    "403": "Signed in, but not allowed to do this.",
    "404": "Not found, or not visible to the caller.",
    "405": "The endpoint does not have this method.",
    "406": "No acceptable representation for the `Accept` header.",
    "409": "The request conflicts with the current state.",
    "413": "The request body is too large.",
    "415": "The body's media type or content is not accepted here.",
    "429": "Too many requests; retry after `Retry-After` seconds.",
    "503": "A service the request needs is unavailable; nothing was written, retry later.",
}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "description": "stable machine-readable code"},
                "message": {"type": "string"},
                "details": {"type": "object", "additionalProperties": True},
            },
        }
    },
}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation documents the error body, for the
    common statuses and for those a view declares with a description only (412, 423...)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
            for status, response in responses.items():
                if status[:1] in ("4", "5") and not response.get("content"):
                    response["content"] = {"application/json": {"schema": reference}}
    return result
