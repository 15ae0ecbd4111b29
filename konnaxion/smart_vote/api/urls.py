from konnaxion.core.api.routers import Router
from konnaxion.smart_vote.api import views

router = Router()
router.register("votes", views.VoteViewSet, basename="smart-vote-vote")
router.register("results", views.VoteResultViewSet, basename="smart-vote-result")
router.register("modalities", views.VoteModalityViewSet, basename="smart-vote-modality")
router.register("integrations", views.IntegrationMappingViewSet, basename="smart-vote-integration")
router.register(
    "emerging-experts", views.EmergingExpertViewSet, basename="smart-vote-emerging-expert"
)

urlpatterns = router.urls
