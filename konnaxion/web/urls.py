"""Routes of the web front. Pages added later (/connect, /projects, /profile/<user>, search)
join this `web` namespace; the layout shows a navigation link once its name resolves."""

from allauth.account import views as allauth_views
from django.urls import include, path

from konnaxion.web import (
    account_views,
    application_views,
    blueprint_views,
    checkout_views,
    comment_views,
    connect_views,
    document_edit_views,
    index_views,
    leaving_views,
    link_admin_views,
    link_views,
    notification_views,
    profile_views,
    project_views,
    saved_search_views,
    search_views,
    suggestion_views,
    token_views,
    views,
    workspace_views,
)

BLUEPRINT = "projects/<slug:slug>/blueprints/<int:resource_id>/"
COMMENT = f"{BLUEPRINT}comments/<int:comment_id>/"

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # allauth's views, under the names the templates have always used.
    path("accounts/signup/", allauth_views.signup, name="signup"),
    path("accounts/login/", allauth_views.login, name="login"),
    path("accounts/logout/", allauth_views.logout, name="logout"),
    # Accounts (django-allauth): the account page; allauth's own pages are in config/urls.py.
    path("accounts/", account_views.account, name="account"),
    path("dev/mail/", account_views.dev_mailbox, name="dev_mailbox"),
    path("dev/mail/<str:name>/<int:index>/", account_views.dev_mail, name="dev_mail"),
    # Leaving and your data ----
    path("accounts/leave/", leaving_views.account_leave, name="account_leave"),
    path("accounts/data/", leaving_views.account_data, name="account_data"),
    path("accounts/data/export/", leaving_views.account_data_export, name="account_data_export"),
    path("accounts/data/status/", leaving_views.account_data_status, name="account_data_status"),
    path(
        "accounts/data/<int:pk>/download/",
        leaving_views.account_data_download,
        name="account_data_download",
    ),
    # Personal API tokens
    path("accounts/tokens/", token_views.account_tokens, name="account_tokens"),
    path(
        "accounts/tokens/<int:token_id>/revoke/",
        token_views.account_token_revoke,
        name="account_token_revoke",
    ),
    path("connect/", connect_views.connect, name="connect"),
    path("connect/people/<str:username>/follow/", connect_views.follow, name="follow"),
    path("connect/suggestions/", suggestion_views.suggestions, name="suggestions"),
    path(
        "connect/suggestions/<str:username>/follow/",
        suggestion_views.suggestion_follow,
        name="suggestion_follow",
    ),
    path(
        "connect/suggestions/<str:username>/dismiss/",
        suggestion_views.suggestion_dismiss,
        name="suggestion_dismiss",
    ),
    path(
        "connect/opportunities/new/",
        connect_views.opportunity_create,
        name="opportunity_create",
    ),
    path("connect/opportunities/<int:pk>/", connect_views.opportunity_detail, name="opportunity"),
    path(
        "connect/opportunities/<int:pk>/edit/",
        connect_views.opportunity_update,
        name="opportunity_update",
    ),
    path(
        "connect/opportunities/<int:pk>/save/",
        connect_views.opportunity_save,
        name="opportunity_save",
    ),
    path("connect/applications/", application_views.my_applications, name="my_applications"),
    path("connect/applications/<int:pk>/", application_views.application, name="application"),
    path(
        "connect/applications/<int:pk>/edit/",
        application_views.application_update,
        name="application_update",
    ),
    path(
        "connect/applications/<int:pk>/score/",
        application_views.application_score,
        name="application_score",
    ),
    path(
        "connect/applications/<int:pk>/<str:step>/",
        application_views.application_step,
        name="application_step",
    ),
    path("connect/opportunities/<int:pk>/apply/", application_views.apply, name="apply"),
    path(
        "connect/opportunities/<int:pk>/review/",
        application_views.opportunity_review,
        name="opportunity_review",
    ),
    path(
        "connect/opportunities/<int:pk>/review/<str:change>/",
        application_views.opportunity_review_change,
        name="opportunity_review_change",
    ),
    path(
        "connect/opportunities/<int:pk>/<str:change>/",
        connect_views.opportunity_status,
        name="opportunity_status",
    ),
    path(
        "connect/saved-searches/",
        saved_search_views.saved_searches_list,
        name="saved_searches",
    ),
    path(
        "connect/saved-searches/new/",
        saved_search_views.saved_search_create,
        name="saved_search_create",
    ),
    path(
        "connect/saved-searches/<int:pk>/",
        saved_search_views.saved_search_run,
        name="saved_search_run",
    ),
    path(
        "connect/saved-searches/<int:pk>/edit/",
        saved_search_views.saved_search_change,
        name="saved_search_change",
    ),
    path(
        "connect/saved-searches/<int:pk>/delete/",
        saved_search_views.saved_search_delete,
        name="saved_search_delete",
    ),
    path("connect/workspaces/new/", workspace_views.workspace_create, name="workspace_create"),
    path("connect/workspaces/<int:pk>/", workspace_views.workspace, name="workspace"),
    path(
        "connect/workspaces/<int:pk>/invite/",
        workspace_views.workspace_invite,
        name="workspace_invite",
    ),
    path("connect/workspaces/<int:pk>/end/", workspace_views.workspace_end, name="workspace_end"),
    path(
        "connect/workspaces/<int:pk>/leave/",
        workspace_views.workspace_leave,
        name="workspace_leave",
    ),
    path(
        "connect/workspaces/<int:pk>/save-canvas/",
        workspace_views.workspace_canvas_save,
        name="workspace_canvas_save",
    ),
    path(
        "connect/workspaces/<int:pk>/export/",
        workspace_views.workspace_export,
        name="workspace_export",
    ),
    path("profile/<str:username>/", profile_views.profile, name="profile"),
    path("profile/<str:username>/edit/", profile_views.profile_update, name="profile_update"),
    path(
        "profile/<str:username>/endorse/",
        profile_views.endorsement_create,
        name="endorsement_create",
    ),
    path(
        "profile/<str:username>/reviews/<int:pk>/reply/",
        profile_views.endorsement_reply,
        name="endorsement_reply",
    ),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/<int:notification_id>/read/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        notification_views.notification_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/settings/",
        notification_views.notification_settings,
        name="notification_settings",
    ),
    path("watch/", notification_views.watch_toggle, name="watch"),
    path("projects/", project_views.projects, name="projects"),
    path("projects/<slug:slug>/", project_views.project_detail, name="project"),
    path("projects/<slug:slug>/update/", project_views.project_update, name="project_update"),
    path("projects/<slug:slug>/delete/", project_views.project_delete, name="project_delete"),
    path("projects/<slug:slug>/team/", project_views.project_member_add, name="project_member_add"),
    path(
        "projects/<slug:slug>/team/<str:username>/role/",
        project_views.project_member_role,
        name="project_member_role",
    ),
    path(
        "projects/<slug:slug>/team/<str:username>/remove/",
        project_views.project_member_remove,
        name="project_member_remove",
    ),
    path("projects/<slug:slug>/blueprints/", blueprint_views.blueprint_list, name="blueprint_list"),
    path("projects/<slug:slug>/search/", search_views.project_search, name="project_search"),
    path("search/", search_views.search, name="search"),
    path(BLUEPRINT, blueprint_views.blueprint_detail, name="blueprint"),
    path(f"{BLUEPRINT}live/", blueprint_views.blueprint_live, name="blueprint_live"),
    path(f"{BLUEPRINT}diff/", blueprint_views.blueprint_diff, name="blueprint_diff"),
    path(f"{BLUEPRINT}restore/", blueprint_views.blueprint_restore, name="blueprint_restore"),
    path(
        f"{BLUEPRINT}permissions/",
        blueprint_views.blueprint_permissions,
        name="blueprint_permissions",
    ),
    path(f"{BLUEPRINT}trash/", blueprint_views.blueprint_trash, name="blueprint_trash"),
    path(f"{BLUEPRINT}untrash/", blueprint_views.blueprint_untrash, name="blueprint_untrash"),
    path(f"{BLUEPRINT}purge/", blueprint_views.blueprint_purge, name="blueprint_purge"),
    path(f"{BLUEPRINT}reindex/", index_views.blueprint_reindex, name="blueprint_reindex"),
    path(f"{BLUEPRINT}lock/", checkout_views.blueprint_checkout, name="blueprint_checkout"),
    path(f"{BLUEPRINT}lock/take/", checkout_views.blueprint_lock, name="blueprint_lock"),
    path(f"{BLUEPRINT}lock/release/", checkout_views.blueprint_unlock, name="blueprint_unlock"),
    path(
        f"{BLUEPRINT}lock/break/", checkout_views.blueprint_lock_break, name="blueprint_lock_break"
    ),
    path(f"{BLUEPRINT}comments/", comment_views.blueprint_comments, name="blueprint_comments"),
    path(
        f"{BLUEPRINT}comments/new/",
        comment_views.blueprint_comment_create,
        name="blueprint_comment_create",
    ),
    *(
        path(f"{COMMENT}{action}/", view, name=f"blueprint_comment_{action}")
        for action, view in (
            ("edit", comment_views.blueprint_comment_edit),
            ("delete", comment_views.blueprint_comment_delete),
            ("resolve", comment_views.blueprint_comment_resolve),
            ("reopen", comment_views.blueprint_comment_reopen),
        )
    ),
    path(f"{BLUEPRINT}edit/", document_edit_views.blueprint_edit, name="blueprint_edit"),
    path(
        f"{BLUEPRINT}versions/<int:number>/label/",
        document_edit_views.blueprint_version_label,
        name="blueprint_version_label",
    ),
    path(f"{BLUEPRINT}share-links/", link_admin_views.share_link_create, name="share_link_create"),
    path(
        f"{BLUEPRINT}share-links/<int:link_id>/revoke/",
        link_admin_views.share_link_revoke,
        name="share_link_revoke",
    ),
    path(
        "projects/<slug:slug>/upload-links/",
        link_admin_views.upload_link_create,
        name="upload_link_create",
    ),
    path(
        "projects/<slug:slug>/upload-links/<int:link_id>/revoke/",
        link_admin_views.upload_link_revoke,
        name="upload_link_revoke",
    ),
    # The public pages of links: whoever holds the address, no account (docs/sharing.md).
    path("s/<str:token>/", link_views.share_page, name="share_link"),
    path("s/<str:token>/download/", link_views.share_download, name="share_link_download"),
    path("s/<str:token>/preview/", link_views.share_preview, name="share_link_preview"),
    path("u/<str:token>/", link_views.upload_page, name="upload_link"),
]

# Outside the namespace: Django's own view posts here by the name "set_language".
i18n_urlpatterns = [path("i18n/", include("django.conf.urls.i18n"))]
