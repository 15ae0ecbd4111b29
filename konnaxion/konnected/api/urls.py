from rest_framework.routers import SimpleRouter

from konnaxion.konnected.api import views

router = SimpleRouter()
for prefix, viewset in (
    ("paths", views.CertificationPathViewSet),
    ("evaluations", views.EvaluationViewSet),
    ("peer-validations", views.PeerValidationViewSet),
    ("interop-mappings", views.InteropMappingViewSet),
    ("resources", views.KnowledgeResourceViewSet),
    ("recommendations", views.KnowledgeRecommendationViewSet),
    ("progress", views.LearningProgressViewSet),
    ("portfolios", views.PortfolioViewSet),
    ("cocreation-projects", views.CoCreationProjectViewSet),
    ("contributions", views.CoCreationContributionViewSet),
    ("forum-topics", views.ForumTopicViewSet),
    ("forum-posts", views.ForumPostViewSet),
):
    router.register(prefix, viewset, basename=f"konnected-{prefix}")

urlpatterns = router.urls
