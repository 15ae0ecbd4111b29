from konnaxion.core.api.routers import Router
from konnaxion.keenkonnect.api import views

PROJECT = r"projects/(?P<project_slug>[-\w]+)"

router = Router()
router.register("projects", views.ProjectViewSet, basename="keenkonnect-project")
router.register(f"{PROJECT}/team", views.ProjectTeamViewSet, basename="keenkonnect-team")
router.register(f"{PROJECT}/tasks", views.ProjectTaskViewSet, basename="keenkonnect-task")
router.register(f"{PROJECT}/messages", views.ProjectMessageViewSet, basename="keenkonnect-message")
router.register(f"{PROJECT}/ratings", views.ProjectRatingViewSet, basename="keenkonnect-rating")

urlpatterns = router.urls
