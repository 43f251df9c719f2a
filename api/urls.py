from django.urls import include, path

from api.root import APIRootView

app_name = "api"

urlpatterns = [
    path("", APIRootView.as_view(), name="root"),
    path("", include("corpus.urls")),
    path("", include("annotations.urls")),
    path("", include("annotations.exports.urls")),
]
