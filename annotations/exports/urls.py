from django.urls import path, re_path

from . import views

# Job ids are matched loosely and checked in the view, so a malformed one gets the API's JSON 404.
urlpatterns = [
    path("exports/jobs/", views.ExportJobListView.as_view(), name="exportjob-list"),
    re_path(r"^exports/jobs/(?P<pk>[^/.]+)/$", views.ExportJobDetailView.as_view(), name="exportjob-detail"),
    re_path(
        r"^exports/jobs/(?P<pk>[^/.]+)/download/$",
        views.ExportJobDownloadView.as_view(),
        name="exportjob-download",
    ),
    path("exports/<str:fmt>/", views.ExportView.as_view(), name="export-stream"),
]
