from rest_framework.routers import SimpleRouter

from konnaxion.kreative.api import kontact_views as views
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

urlpatterns = router.urls
