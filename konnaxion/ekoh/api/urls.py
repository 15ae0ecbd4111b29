from django.urls import path

from konnaxion.core.api.routers import Router
from konnaxion.ekoh.api import views

router = Router()
router.register("categories", views.ExpertiseCategoryViewSet, basename="ekoh-category")
router.register("scores", views.UserExpertiseScoreViewSet, basename="ekoh-score")
router.register("configuration", views.ScoreConfigurationViewSet, basename="ekoh-configuration")
router.register("history", views.ScoreHistoryViewSet, basename="ekoh-history")

urlpatterns = [
    path("confidentiality/", views.ConfidentialityView.as_view(), name="ekoh-confidentiality"),
    path("weight/", views.VoterWeightView.as_view(), name="ekoh-weight"),
    *router.urls,
]
