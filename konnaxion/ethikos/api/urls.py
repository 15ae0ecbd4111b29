from rest_framework.routers import SimpleRouter

from konnaxion.ethikos.api import views

router = SimpleRouter()
router.register("categories", views.EthikosCategoryViewSet, basename="ethikos-category")
router.register("topics", views.EthikosTopicViewSet, basename="ethikos-topic")
router.register("stances", views.EthikosStanceViewSet, basename="ethikos-stance")
router.register("arguments", views.EthikosArgumentViewSet, basename="ethikos-argument")
router.register("consultations", views.ConsultationViewSet, basename="ethikos-consultation")
router.register("suggestions", views.CitizenSuggestionViewSet, basename="ethikos-suggestion")
router.register(
    "consultation-votes", views.ConsultationVoteViewSet, basename="ethikos-consultation-vote"
)
router.register("results", views.ConsultationResultViewSet, basename="ethikos-result")
router.register("impact-tracks", views.ImpactTrackViewSet, basename="ethikos-impact-track")

urlpatterns = router.urls
