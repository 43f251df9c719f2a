from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("paragraphs", views.ParagraphViewSet, basename="paragraph")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("speakers", views.SpeakerViewSet, basename="speaker")
router.register("sources", views.SourceViewSet, basename="source")
router.register("quote-clusters", views.QuoteClusterViewSet, basename="quote-cluster")

urlpatterns = router.urls
