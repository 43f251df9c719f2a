from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("tags", views.TagViewSet, basename="tag")
router.register("annotations", views.AnnotationViewSet, basename="annotation")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("fact-checks", views.FactCheckViewSet, basename="factcheck")

urlpatterns = router.urls
