"""Stockage routes, mounted at /api/projects/<slug>/."""

from django.urls import path

from konnaxion.keenkonnect.api import (
    checkout_views,
    comment_views,
    diff_views,
    index_views,
    link_views,
    preview_views,
    tus_views,
    version_views,
)
from konnaxion.keenkonnect.api import resource_views as views

RESOURCE = "resources/<int:resource_id>/"
COMMENT = f"{RESOURCE}comments/<int:comment_id>/"

urlpatterns = [
    path("resources/", views.ResourceListView.as_view(), name="stockage-resources"),
    path("resources/trash/", views.TrashListView.as_view(), name="stockage-trash"),
    path(RESOURCE, views.ResourceDetailView.as_view(), name="stockage-resource"),
    path(f"{RESOURCE}download/", views.ResourceDownloadView.as_view(), name="stockage-download"),
    path(
        f"{RESOURCE}preview/",
        preview_views.ResourcePreviewView.as_view(),
        name="stockage-preview",
    ),
    path(f"{RESOURCE}versions/", views.VersionListView.as_view(), name="stockage-versions"),
    path(
        f"{RESOURCE}versions/<int:number>/",
        version_views.VersionDetailView.as_view(),
        name="stockage-version",
    ),
    path(f"{RESOURCE}restore/", views.ResourceRestoreView.as_view(), name="stockage-restore"),
    path(f"{RESOURCE}diff/", diff_views.ResourceDiffView.as_view(), name="stockage-diff"),
    path(
        f"{RESOURCE}diff/highlight/",
        diff_views.ResourceDiffHighlightView.as_view(),
        name="stockage-diff-highlight",
    ),
    path(f"{RESOURCE}untrash/", views.ResourceUntrashView.as_view(), name="stockage-untrash"),
    path(f"{RESOURCE}purge/", views.ResourcePurgeView.as_view(), name="stockage-purge"),
    path(
        f"{RESOURCE}reindex/",
        index_views.ResourceReindexView.as_view(),
        name="stockage-reindex",
    ),
    path(f"{RESOURCE}lock/", checkout_views.CheckoutView.as_view(), name="stockage-lock"),
    path(f"{RESOURCE}permissions/", views.PermissionsView.as_view(), name="stockage-permissions"),
    path(f"{RESOURCE}comments/", comment_views.CommentListView.as_view(), name="stockage-comments"),
    path(COMMENT, comment_views.CommentDetailView.as_view(), name="stockage-comment"),
    path(
        f"{COMMENT}resolve/",
        comment_views.CommentResolveView.as_view(),
        name="stockage-comment-resolve",
    ),
    path(
        f"{COMMENT}reopen/",
        comment_views.CommentReopenView.as_view(),
        name="stockage-comment-reopen",
    ),
    path(
        f"{RESOURCE}share-links/",
        link_views.ShareLinkListView.as_view(),
        name="stockage-share-links",
    ),
    path(
        f"{RESOURCE}share-links/<int:link_id>/",
        link_views.ShareLinkDetailView.as_view(),
        name="stockage-share-link",
    ),
    path("upload-links/", link_views.UploadLinkListView.as_view(), name="stockage-upload-links"),
    path(
        "upload-links/<int:link_id>/",
        link_views.UploadLinkDetailView.as_view(),
        name="stockage-upload-link",
    ),
    path("audit/", views.AuditLogView.as_view(), name="stockage-audit"),
    path("uploads/", tus_views.UploadCreateView.as_view(), name="stockage-uploads"),
    path("uploads/<uuid:upload_id>/", tus_views.UploadView.as_view(), name="stockage-upload"),
]
