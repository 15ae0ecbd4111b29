from rest_framework.routers import SimpleRouter

from konnaxion.kreative.api import kontact_views as views

router = SimpleRouter()
router.register("", views.ProfileViewSet, basename="kontact-profile")

urlpatterns = router.urls
