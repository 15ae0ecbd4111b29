from konnaxion.core.api.routers import Router
from konnaxion.kreative.api import views

router = Router()
router.register("tags", views.TagViewSet, basename="kreative-tag")
router.register("artworks", views.ArtworkViewSet, basename="kreative-artwork")
router.register("galleries", views.GalleryViewSet, basename="kreative-gallery")
router.register("traditions", views.TraditionEntryViewSet, basename="kreative-tradition")
router.register("collab-sessions", views.CollabSessionViewSet, basename="kreative-collab-session")

urlpatterns = router.urls
