"""HTTP routes. Each app mounts its API under /api/ from its own `api/urls.py`."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from konnaxion.core.api.search_views import SearchView
from konnaxion.core.views import healthz, livez, readyz
from konnaxion.web.urls import i18n_urlpatterns

api_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        # An HTML page only: DRF's OPTIONS answer would go through its template renderer, which
        # has no template for it (a 500); other methods are a JSON 405.
        SpectacularSwaggerSplitView.as_view(url_name="schema", http_method_names=["get", "head"]),
        name="docs",
    ),
    path("", include("konnaxion.users.api.urls")),
    path("kreative/", include("konnaxion.kreative.api.urls")),
    path("profiles/", include("konnaxion.kreative.api.profile_urls")),
    path("connect/", include("konnaxion.kreative.api.connect_urls")),
    path("keenkonnect/", include("konnaxion.keenkonnect.api.urls")),
    path("projects/<slug:project_slug>/", include("konnaxion.keenkonnect.api.resource_urls")),
    path("search/", SearchView.as_view(), name="search"),
    path("ekoh/", include("konnaxion.ekoh.api.urls")),
    path("smart-vote/", include("konnaxion.smart_vote.api.urls")),
    path("ethikos/", include("konnaxion.ethikos.api.urls")),
    path("konnected/", include("konnaxion.konnected.api.urls")),
    path("insights/", include("konnaxion.insights.api.urls")),
    path("", include("konnaxion.notifications.api.urls")),
]

# The admin is signed into through the site's sign-in (django-allauth), so the second factor
# and the lockout apply to it as to everyone: /admin/login/ sends anyone not signed in to
# /accounts/login/ and answers a signed-in person who is not staff with a 403.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("livez", livez, name="livez"),
    path("readyz", readyz, name="readyz"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    *i18n_urlpatterns,
    # django-allauth's pages (docs/accounts.md), by their own global names (account_email,
    # mfa_index, usersessions_list...); the web front names sign-in, sign-up and sign-out too.
    path("accounts/", include("allauth.urls")),
    # The web front last: its pages sit at the root, beside the entries above.
    path("", include("konnaxion.web.urls")),
]

# Under /api/ every error is JSON, also those Django raises before reaching a view.
handler400 = "konnaxion.core.views.bad_request"
handler403 = "konnaxion.core.views.permission_denied"
handler404 = "konnaxion.core.views.page_not_found"
handler500 = "konnaxion.core.views.server_error"
# allauth's rate limits answer 429 through this (konnaxion/core/views.py).
handler429 = "konnaxion.core.views.too_many_requests"
