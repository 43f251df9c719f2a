from django.contrib import admin
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.defaults import page_not_found
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from annotations.dashboard import dashboard_view
from annotations.public import factcheck_public
from config.health import healthz
from config.home import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", lambda request: redirect(static("annotations/favicon.svg"), permanent=True)),
    path("admin/dashboard/", admin.site.admin_view(dashboard_view), name="admin-dashboard"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("api.urls")),
    path("fact-checks/<int:pk>/", factcheck_public, name="factcheck-public"),
]


def api_aware_404(request, exception=None):
    """Under /api/ a missing page is the API's JSON 404 (as the schema documents), also for paths no
    route matches, such as an id with a dot in it."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


handler404 = api_aware_404
