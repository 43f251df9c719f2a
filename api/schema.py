"""The OpenAPI schema tells the whole truth: every operation lists the errors it can answer, every
change names the If-Match header it requires, and the headers a response carries (ETag, Location, Link)
are declared, so that a generated client can read them.

It is also written for generated clients: each request body is declared once, as JSON (the form and
multipart encodings the server also parses would give clients two more, identical, bodies to choose
from), a PATCH body declares no defaults (a client filling them in would change fields it never
meant to touch), and reads that need no account say so.
"""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "`detail` for errors about the whole request; otherwise a list of messages per field "
        "(`non_field_errors` for messages about several fields)."
    ),
    "properties": {"detail": {"description": "A message, or for some endpoints a structured explanation."}},
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "Invalid input; the body names each field with what is wrong.",
    "401": "Not signed in, or the token is invalid: send `Authorization: Token <key>`.",
    "403": "Signed in, but the role or the object rules do not allow this.",
    "404": "No such object, or not visible to you (also: a page or cursor out of range).",
    "406": "None of the media types in Accept can be served.",
    "412": "If-Match does not name the current version: someone changed the object since you read it.",
    "428": "If-Match is missing: send the ETag you read.",
    "429": "Too many requests; wait for the number of seconds in Retry-After.",
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the version you read, e.g. `"42-3"`. Answered 428 when missing, 412 when stale.',
)
RESPONSE_HEADERS = {
    "ETag": 'The version of the object, e.g. `"42-3"`: send it back in If-Match to change the object.',
    "Location": "The URL of the object this request created.",
    "Link": "The W3C Web Annotation Protocol's links: the resource's LDP type and constraints.",
    "Allow": "The methods this resource answers.",
    "Accept-Post": "The media type a POST to this container takes.",
    "Content-Disposition": "attachment, with the file name of the export.",
}
# Parsed by the server, never declared: forms (the browsable API's) and HTML pages, which only the article
# ingest takes (and declares itself).
UNDECLARED_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/html")


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


class AutoSchema(openapi.AutoSchema):
    def map_parsers(self) -> list[str]:
        """One JSON media type per request body: the first the view parses (``application/ld+json`` on
        the W3C container, ``application/json`` elsewhere)."""
        media_types = [m for m in super().map_parsers() if m not in UNDECLARED_MEDIA_TYPES]
        json_types = [m for m in media_types if _is_json(m)]
        return [m for m in media_types if not _is_json(m) or m == json_types[0]]

    def get_auth(self) -> list:
        """Reads are open unless the view asks for an account: an empty requirement says so."""
        auth = super().get_auth()
        needs_account = any(isinstance(p, IsAuthenticated) for p in self.view.get_permissions())
        if self.method in SAFE_METHODS and not needs_account and {} not in auth:
            auth.append({})
        return auth

    def _response_header_names(self) -> tuple[str, ...]:
        """``response_headers`` on a view maps an action (viewsets) or a method (other views) to the
        headers its successful responses carry."""
        declared = getattr(self.view, "response_headers", {})
        return tuple(declared.get(getattr(self.view, "action", None) or self.method.lower(), ()))

    def _get_response_headers_for_code(self, status_code, direction="response") -> dict:
        headers = super()._get_response_headers_for_code(status_code, direction)
        if str(status_code).startswith("2"):
            for name in self._response_header_names():
                headers.setdefault(
                    name,
                    {"schema": {"type": "string"}, "required": True, "description": RESPONSE_HEADERS[name]},
                )
        return headers

    def _map_basic_serializer(self, serializer, direction):
        schema = self._map_optional_fields(super()._map_basic_serializer(serializer, direction), serializer)
        if direction == "request" and self.method == "PATCH":
            # A partial update changes what is sent and nothing else: no property has a default.
            for field in schema.get("properties", {}).values():
                field.pop("default", None)
        return schema

    def _needs_if_match(self) -> bool:
        action = getattr(self.view, "action", None)
        return self.method in ("PUT", "PATCH", "DELETE") or action in getattr(
            self.view, "if_match_actions", ()
        )

    def get_override_parameters(self) -> list:
        parameters = list(super().get_override_parameters())
        if self._needs_if_match():
            parameters.append(IF_MATCH)
        return parameters

    @staticmethod
    def _map_optional_fields(schema: dict, serializer) -> dict:
        """A serializer lists in ``Meta.schema_optional`` the fields a response may leave out (the
        nested lists of ``?expand=``), which would otherwise be documented as always present."""
        optional = set(getattr(getattr(serializer, "Meta", None), "schema_optional", ()))
        if optional and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in optional]
            if not schema["required"]:
                del schema["required"]
        return schema

    def _error_codes(self) -> list[str]:
        codes = {"401", "429"}
        if self.method == "GET":
            codes.add("404")
            # Lists check their filters; a view with its own query parameters says so.
            if self._is_list_view() or getattr(self.view, "checks_query_parameters", False):
                codes.add("400")
        else:
            codes |= {"400", "403"}
        if "{" in self.path:
            codes.add("404")
        if self._needs_if_match():
            codes |= {"412", "428"}
        if getattr(self.view, "negotiates_content", False):
            codes |= {"404", "406"}  # an unknown ?format= is a 404
        # A read whose options may ask for more than the reader may see (exports' include_drafts).
        codes |= set(getattr(self.view, "extra_error_codes", ()))
        return sorted(codes)

    def _error_media_types(self) -> list[str]:
        return [r.media_type for r in self.view.get_renderers() if "html" not in r.media_type] or [
            "application/json"
        ]

    def _get_response_bodies(self, direction="response") -> dict:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        component = ResolvedComponent(
            name=ERROR_COMPONENT, type=ResolvedComponent.SCHEMA, object=ERROR_COMPONENT, schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(component)
        for code in self._error_codes():
            responses.setdefault(
                code,
                {
                    "description": DESCRIPTIONS[code],
                    "content": {media: {"schema": component.ref} for media in self._error_media_types()},
                },
            )
        return responses
