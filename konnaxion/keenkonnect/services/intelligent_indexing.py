"""intelligent_indexing: text, metadata, keywords, auto-tags, previews and the search vector of
each document's current version (docs/search.md).

`resource_index` is keyed by version: it runs once per (resource, version number), whatever the
number of deliveries of its task; extraction runs outside any transaction and the results are
written under the resource's row lock only if that version is still the current one.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image

from konnaxion.core.errors import NotFound
from konnaxion.core.images import image_open
from konnaxion.core.queue import task_enqueue_on_commit
from konnaxion.files.encryption import BlobIntegrityError
from konnaxion.files.incoming import IncomingFile
from konnaxion.files.services import blob_open, blob_store
from konnaxion.keenkonnect.analysis.errors import AnalysisFailed
from konnaxion.keenkonnect.analysis.images import image_analyse
from konnaxion.keenkonnect.analysis.keywords import (
    SEARCH_CONFIGURATIONS,
    keywords_extract,
    language_detect,
    tags_matching,
)
from konnaxion.keenkonnect.analysis.meshes import MESH_CONTENT_TYPES, mesh_analyse
from konnaxion.keenkonnect.analysis.pdf import pdf_analyse
from konnaxion.keenkonnect.analysis.previews import PREVIEW_SIZES, preview_pngs
from konnaxion.keenkonnect.models import (
    DocumentPreview,
    DocumentVersion,
    ProjectResource,
)
from konnaxion.keenkonnect.services import real_time_sync
from konnaxion.keenkonnect.services.locking import project_lock, resource_lock
from konnaxion.keenkonnect.services.search_vocabulary import search_words_add

logger = logging.getLogger(__name__)

INDEX_TASK = "konnaxion.keenkonnect.tasks.resource_index_task"
# Reasons of a failed indexing besides the analysis library's codes (AnalysisFailed.reason).
REASON_UNREADABLE = "blob_unreadable"  # the stored file does not decrypt or authenticate
REASON_GAVE_UP = "gave_up"  # the task failed for good, after its retries
IMAGE_TYPES = {"image/png", "image/jpeg"}
State = ProjectResource.IndexState


# After the text of each page of a PDF in `extracted_text` (a one-page PDF too): a form feed,
# which the text-search parser reads as a space, so the search finds a hit's page
# (search.FirstMatchingPage). Texts stored before it was used joined their pages with a blank
# line: they give no page until the document is indexed again.
PAGE_BREAK = "\f"


def pages_join(pages: list[str]) -> str:
    """The texts of a PDF's pages as one text, each page ending with a PAGE_BREAK."""
    return "".join(page.replace(PAGE_BREAK, " ") + PAGE_BREAK for page in pages)


@dataclass
class Extraction:
    """What one version says: searchable text, metadata, words for the D weight, previews."""

    text: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    previews: dict[int, bytes] = field(default_factory=dict)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _pdf_previews(png: bytes) -> dict[int, bytes]:
    image = image_open(io.BytesIO(png), formats=["PNG"])
    image.load()
    previews = {}
    for size in PREVIEW_SIZES:
        copy = image.copy()
        copy.thumbnail((size, size), Image.Resampling.LANCZOS)
        previews[size] = _png(copy)
    return previews


def version_extract(*, version: DocumentVersion) -> Extraction:
    """Read `version`'s content: PDF text per page (in the sandboxed child) and metadata, image
    metadata and EXIF, model statistics and names, and PNG previews.

    Raises AnalysisFailed when the content cannot be read (a preview that fails only leaves a
    `preview_error` in the metadata).
    """
    content_type = version.content_type
    extraction = Extraction()
    with blob_open(blob=version.blob) as handle:
        if content_type == "application/pdf":
            analysis = pdf_analyse(handle, preview_longest=max(PREVIEW_SIZES))
            extraction.text = pages_join(analysis.pages)
            extraction.metadata = {"type": "pdf", **analysis.as_dict()}
            extraction.names = list(analysis.metadata.values())
            if analysis.preview_png:
                extraction.previews = _pdf_previews(analysis.preview_png)
            return extraction
        if content_type in IMAGE_TYPES:
            metadata = image_analyse(handle)
            metadata.pop("perceptual_hash", None)
            extraction.metadata = {"type": "image", **metadata}
            extraction.names = [str(value) for value in metadata.get("exif", {}).values()][:50]
        elif content_type in MESH_CONTENT_TYPES:
            metadata = mesh_analyse(handle, content_type=content_type)
            metadata.pop("signatures", None)
            extraction.metadata = {"type": "model", **metadata}
            extraction.names = [
                str(metadata[key]) for key in ("solid_name", "generator") if metadata.get(key)
            ]
            for key in ("node_names", "mesh_names", "material_names"):
                extraction.names.extend(str(name) for name in metadata.get(key, []))
        else:
            return extraction
        handle.seek(0)
        try:
            extraction.previews = preview_pngs(handle, content_type=content_type)
        except AnalysisFailed as failure:
            extraction.metadata["preview_error"] = failure.details.get("reason", failure.code)
    return extraction


def _vector_sql(where: str) -> str:
    """An UPDATE setting `search_vector` from the columns of the resource rows matched by `where`:
    title A, tags, auto-tags, keywords and version labels B, extracted text C, file name and
    metadata D, under the text-search configuration of the row's language (D and the labels:
    without stemming, in any language)."""
    cases = " ".join(
        f"WHEN '{language}' THEN '{configuration}'::regconfig"
        for language, configuration in SEARCH_CONFIGURATIONS.items()
        if language
    )
    simple = f"'{SEARCH_CONFIGURATIONS[None]}'::regconfig"
    config = f"(CASE r.language {cases} ELSE {simple} END)"
    return f"""
        UPDATE keenkonnect_projectresource AS r SET search_vector =
            setweight(to_tsvector({config}, coalesce(r.title, '')), 'A')
            || setweight(
                to_tsvector({config},
                    array_to_string(r.tags || r.auto_tags || r.keywords, ' ')), 'B')
            || setweight(to_tsvector({config}, coalesce(r.extracted_text, '')), 'C')
            || setweight(to_tsvector({simple}, coalesce(v.original_name, '') || ' '
                || coalesce(r.description, '') || ' '
                || coalesce(r.extracted_metadata ->> 'names', '')), 'D')
            || setweight(to_tsvector({simple}, coalesce((
                SELECT string_agg(label.label, ' ') FROM keenkonnect_documentversion AS label
                WHERE label.resource_id = base.id AND label.label <> ''), '')), 'B')
        FROM keenkonnect_projectresource AS base
        LEFT JOIN keenkonnect_documentversion AS v ON v.id = base.current_version_id
        WHERE r.id = base.id AND {where}
    """  # noqa: S608 (built from constants; values are passed as parameters)


def resource_vector_refresh(*, resource_ids: list[int]) -> None:
    """Recompute the search vector of these resources from their stored columns (after a title
    or description change, or a re-index)."""
    if not resource_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(_vector_sql("base.id = ANY(%s)"), [list(resource_ids)])


def _previews_store(*, version: DocumentVersion, previews: dict[int, bytes]) -> None:
    existing = set(DocumentPreview.objects.filter(version=version).values_list("size", flat=True))
    for size, png in previews.items():
        if size in existing:
            continue
        upload = IncomingFile(name=f"preview-{size}.png")
        upload.write(png)
        blob = blob_store(upload=upload, content_type="image/png")
        DocumentPreview.objects.get_or_create(version=version, size=size, defaults={"blob": blob})


def resource_index(*, resource_id: int, version_number: int) -> str:
    """Index resource `resource_id` as of version `version_number` and tell the project.

    Idempotent: a version already indexed (or failed), a newer current version or a purged
    resource does nothing. Returns the outcome: `indexed`, `failed` or `skipped`.
    An AnalysisFailed or a blob that does not decrypt marks the resource failed with its reason
    at once; other errors propagate so the task retries (then `resource_index_fail`).
    """
    version = (
        DocumentVersion.objects.select_related("blob", "resource")
        .filter(resource_id=resource_id, number=version_number)
        .first()
    )
    if version is None or version.resource.current_version_id != version.pk:
        return "skipped"
    if version.resource.indexed_version == version_number:
        return "skipped"
    reason = ""
    try:
        extraction = version_extract(version=version)
    except AnalysisFailed as error:
        extraction, reason = Extraction(), str(error.details.get("reason", error.code))
    except BlobIntegrityError:
        # Retrying cannot make a damaged or foreign-keyed blob decrypt: fail at once.
        extraction, reason = Extraction(), REASON_UNREADABLE
    text = extraction.text[: settings.SEARCH_MAX_TEXT_CHARS]
    language = language_detect(text) if text else None
    keywords = keywords_extract(text, language=language) if text else []
    # A tag matches a keyword or one word of a two-word keyword ("rainwater cistern").
    words = [word for keyword in keywords for word in keyword.split()]
    tags = tags_matching(keywords=[*keywords, *words]) if keywords else []
    if extraction.previews:
        _previews_store(version=version, previews=extraction.previews)
    metadata = dict(extraction.metadata)
    metadata["names"] = " ".join(extraction.names)[:20_000]
    fields = {
        "language": language or "",
        "keywords": keywords,
        "auto_tags": tags,
        "extracted_metadata": metadata,
        "extracted_text": text,
    }
    if not reason:
        # Before the outcome is written and announced (so that a document shown indexed has its
        # words in the vocabulary), outside the document's lock: the vocabulary's rows are
        # shared. Should the outcome be skipped (a newer version), the words only count once
        # more: counts are a hint, made exact by the rebuild.
        search_words_add(text=f"{version.resource.title} {text}")
    state = _outcome_write(version=version, fields=fields, reason=reason)
    if reason and state == State.FAILED:
        logger.warning("Indexing %s v%s failed: %s", resource_id, version_number, reason)
    return state


def resource_index_fail(*, resource_id: int, version_number: int, reason: str) -> str:
    """Mark version `version_number` of `resource_id` failed with `reason` (its indexing task
    failed for good) and tell the project. Does nothing (`skipped`) if that version is no longer
    current or already has an outcome."""
    version = (
        DocumentVersion.objects.select_related("resource")
        .filter(resource_id=resource_id, number=version_number)
        .first()
    )
    if version is None:
        return "skipped"
    fields = {
        "language": "",
        "keywords": [],
        "auto_tags": [],
        "extracted_metadata": {"names": ""},
        "extracted_text": "",
    }
    return _outcome_write(version=version, fields=fields, reason=reason or REASON_GAVE_UP)


def _outcome_write(*, version: DocumentVersion, fields: dict[str, Any], reason: str) -> str:
    """Store what indexing `version` found (`fields`), indexed or failed with `reason`, under the
    project's and the resource's locks, and record `resource.indexed` for the project."""
    resource_id, version_number = version.resource_id, version.number
    with transaction.atomic():
        # The project first (the event below locks it), then the resource: docs/storage.md.
        try:
            project_lock(project_id=version.resource.project_id)
        except NotFound:
            return "skipped"
        resource = resource_lock(resource_id=resource_id)
        if (
            resource is None
            or resource.current_version_id != version.pk
            or resource.indexed_version == version_number
        ):
            return "skipped"
        for name, value in fields.items():
            setattr(resource, name, value)
        resource.indexed_version = version_number
        resource.indexed_at = timezone.now()
        resource.index_state = State.FAILED if reason else State.INDEXED
        resource.index_reason = reason[:200]
        resource.save(
            update_fields=[*fields, "indexed_version", "indexed_at", "index_state", "index_reason"]
        )
        resource_vector_refresh(resource_ids=[resource_id])
        real_time_sync.event_record(
            project_id=resource.project_id,
            type="resource.indexed",
            resource_id=resource_id,
            version=version_number,
            actor=None,
            payload={"state": resource.index_state},
        )
    return str(resource.index_state)


def resource_index_enqueue(*, resource: ProjectResource, version_number: int) -> None:
    """Mark `resource` pending and queue its indexing once the transaction commits."""
    ProjectResource.objects.filter(pk=resource.pk).update(
        index_state=State.PENDING, index_reason=""
    )
    resource.index_state = State.PENDING

    task_enqueue_on_commit(INDEX_TASK, resource.pk, version_number)


def resources_reindex(*, resource_ids: list[int] | None = None) -> int:
    """Queue the indexing of these resources (all when None) again, from scratch. Returns how
    many were queued."""
    queryset = ProjectResource.objects.filter(current_version__isnull=False)
    if resource_ids is not None:
        queryset = queryset.filter(pk__in=resource_ids)
    queued = 0
    rows = queryset.values_list("pk", "current_version__number")
    for pk, number in rows.iterator():
        with transaction.atomic():
            ProjectResource.objects.filter(pk=pk).update(indexed_version=None)
            resource_index_enqueue(resource=ProjectResource(pk=pk), version_number=number)
        queued += 1
    return queued
