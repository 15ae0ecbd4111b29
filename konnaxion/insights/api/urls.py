from rest_framework.routers import SimpleRouter

from konnaxion.insights.api import views

router = SimpleRouter()
router.register("domains", views.DimDomainViewSet, basename="insights-domain")
router.register("endpoints", views.DimEndpointViewSet, basename="insights-endpoint")
router.register("smart-vote", views.SmartVoteFactViewSet, basename="insights-smart-vote")
router.register("usage-mau", views.UsageMauFactViewSet, basename="insights-usage-mau")
router.register("api-perf", views.ApiPerfFactViewSet, basename="insights-api-perf")

urlpatterns = router.urls
