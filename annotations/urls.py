from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from . import claim_views, views, w3c_views

router = SimpleRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("tags", views.TagViewSet, basename="tag")
router.register("annotations", views.AnnotationViewSet, basename="annotation")
router.register("claims", claim_views.ClaimViewSet, basename="claim")
router.register("fact-checks", claim_views.FactCheckViewSet, basename="factcheck")
router.register("projects", views.ProjectViewSet, basename="project")

urlpatterns = [
    *router.urls,
    path("w3c/annotations/", w3c_views.W3CContainerView.as_view(), name="w3c-annotation-list"),
    # Any segment, as the routers do: a malformed id is answered by the API (404 JSON), not by Django.
    re_path(
        r"^w3c/annotations/(?P<pk>[^/.]+)/$",
        w3c_views.W3CAnnotationView.as_view(),
        name="w3c-annotation-detail",
    ),
]
