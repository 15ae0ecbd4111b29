from django.urls import path
from rest_framework.routers import SimpleRouter

from konnaxion.kreative.api import kontact_views as views
from konnaxion.kreative.api.application_views import ApplicationViewSet, OpportunityReviewViewSet
from konnaxion.kreative.api.saved_search_views import SavedSearchViewSet
from konnaxion.kreative.api.suggestion_views import SuggestionViewSet
from konnaxion.kreative.api.workspace_views import WorkspaceViewSet

router = SimpleRouter()
router.register("follows", views.FollowViewSet, basename="kontact-follow")
router.register("blocks", views.BlockViewSet, basename="kontact-block")
router.register("opportunities", views.OpportunityViewSet, basename="kontact-opportunity")
router.register("endorsements", views.EndorsementViewSet, basename="kontact-endorsement")
router.register("workspaces", WorkspaceViewSet, basename="kontact-workspace")
router.register("suggestions", SuggestionViewSet, basename="kontact-suggestion")
router.register("saved-searches", SavedSearchViewSet, basename="kontact-saved-search")
router.register("applications", ApplicationViewSet, basename="application")

review = OpportunityReviewViewSet.as_view
OPPORTUNITY = "opportunities/<int:pk>/"

urlpatterns = [
    path(
        f"{OPPORTUNITY}applications/",
        review({"get": "applications", "post": "apply"}),
        name="opportunity-applications",
    ),
    path(
        f"{OPPORTUNITY}applications/scores.csv",
        review({"get": "scores_csv"}),
        name="opportunity-scores-csv",
    ),
    path(
        f"{OPPORTUNITY}questions/",
        review({"get": "questions", "put": "questions_set"}),
        name="opportunity-questions",
    ),
    path(
        f"{OPPORTUNITY}jurors/",
        review({"get": "jurors", "post": "juror_invite"}),
        name="opportunity-jurors",
    ),
    path(
        f"{OPPORTUNITY}jurors/<str:username>/",
        review({"delete": "juror_remove"}),
        name="opportunity-juror",
    ),
    path(
        f"{OPPORTUNITY}rounds/",
        review({"get": "rounds", "post": "round_create"}),
        name="opportunity-rounds",
    ),
    *router.urls,
]
