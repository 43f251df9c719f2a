"""The front page: where the admin, the API and its documentation are.

The template is kept here rather than in a templates folder: ``config`` is not an app, and the page
must render in an installed deployment as in a checkout."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import reverse
from django.views.decorators.http import require_safe

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Newsdesk</title>
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
    h1 { font-size: 1.6rem; margin-bottom: .2rem; }
    p.lead { color: #555; margin-top: 0; }
    li { margin: .6rem 0; }
    a { color: #0b5cad; font-weight: 600; }
    span { color: #555; }
  </style>
</head>
<body>
  <h1>Newsdesk</h1>
  <p class="lead">An editorial annotation database: articles, quotes and speakers, annotations, fact-checks and datasets.</p>
  <ul>
    {% for link in links %}
    <li><a href="{{ link.url }}">{{ link.label }}</a> <span>{{ link.about }}</span></li>
    {% endfor %}
  </ul>
</body>
</html>
"""


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    links = [
        {"url": reverse("admin:index"), "label": "Admin", "about": "read, annotate and fact-check articles"},
        {
            "url": "/api/",
            "label": "API",
            "about": "the annotated corpus for programs (a token, or signed in)",
        },
        {"url": reverse("api-docs"), "label": "API docs", "about": "every endpoint, to try in the browser"},
        {"url": reverse("schema"), "label": "OpenAPI schema", "about": "for client generators"},
    ]
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"links": links}, request))
