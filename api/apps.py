from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The HTTP machinery every app's API shares: ETags and If-Match, error answers, parsers, role
    permissions, paging, filters, the schema and the throttles. It knows no domain: the apps' errors
    reach it through ``API_ERROR_HANDLERS``."""

    name = "api"
    verbose_name = "API"
