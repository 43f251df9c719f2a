from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("corpus.urls")),
    path("", include("annotations.urls")),
    path("", include("annotations.exports.urls")),
]
