"""Endpoints for claims and their fact-checks: editors mark claims and write fact-checks, a second
person (a fact-checker) publishes or sends back; every change names the version it was based on in
If-Match, and a service writes it (``annotations.services``).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.http import expected_version, validated, versioned_response
from api.permissions import RolePermission, model_perm

from . import selectors, services
from .filters import ClaimFilter, FactCheckFilter
from .models import Claim, FactCheck
from .permissions import FactCheckRules, OwnWork
from .serializers import (
    ClaimSerializer,
    ClaimUpdateSerializer,
    ClaimWriteSerializer,
    FactCheckSerializer,
    FactCheckUpdateSerializer,
    FactCheckWriteSerializer,
    SendBackSerializer,
    WithdrawSerializer,
)


@extend_schema_view(
    create=extend_schema(request=ClaimWriteSerializer, responses={201: ClaimSerializer}),
    partial_update=extend_schema(request=ClaimUpdateSerializer, responses=ClaimSerializer),
)
class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    """Claims: editors mark them, and change or withdraw their own (with If-Match). A claim under review
    is frozen; changing the claim of a published fact-check sends the fact-check back to draft."""

    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_classes = [RolePermission, OwnWork]
    # Withdrawing a claim is part of editing it: editors hold change_claim, not delete_claim.
    action_permissions = {"destroy": [model_perm(Claim, "change")]}
    response_headers = {"retrieve": ("ETag",), "create": ("ETag", "Location"), "partial_update": ("ETag",)}

    def get_queryset(self):
        return selectors.claim_list(user=self.request.user)

    def _respond(self, claim: Claim, **kwargs) -> Response:
        fresh = self.get_queryset().get(pk=claim.pk)
        return versioned_response(self.get_serializer(fresh).data, fresh, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        claim = self.get_object()
        return versioned_response(self.get_serializer(claim).data, claim)

    def create(self, request, *args, **kwargs):
        data = validated(ClaimWriteSerializer, request.data)
        claim = services.claim_create(created_by=request.user, **data)
        return self._respond(
            claim,
            status_code=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:claim-detail", args=[claim.pk])},
        )

    def partial_update(self, request, *args, **kwargs):
        claim = self.get_object()
        version = expected_version(request, claim)
        data = validated(ClaimUpdateSerializer, request.data)
        services.claim_update(claim=claim, expected_version=version, user=request.user, **data)
        return self._respond(claim)

    def destroy(self, request, *args, **kwargs):
        claim = self.get_object()
        version = expected_version(request, claim)
        services.claim_delete(claim=claim, expected_version=version, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


REVIEW = [model_perm(FactCheck, "change"), services.REVIEW_PERMISSION]


@extend_schema_view(
    create=extend_schema(request=FactCheckWriteSerializer, responses={201: FactCheckSerializer}),
    partial_update=extend_schema(request=FactCheckUpdateSerializer, responses=FactCheckSerializer),
    submit=extend_schema(request=None, responses=FactCheckSerializer),
    publish=extend_schema(request=None, responses=FactCheckSerializer),
    send_back=extend_schema(request=SendBackSerializer, responses=FactCheckSerializer),
    withdraw=extend_schema(request=WithdrawSerializer, responses=FactCheckSerializer),
)
class FactCheckViewSet(viewsets.ReadOnlyModelViewSet):
    """Fact-checks move draft -> in_review -> published; a second person (a fact-checker) publishes or
    sends back. Every step names the version it was based on in If-Match."""

    serializer_class = FactCheckSerializer
    filterset_class = FactCheckFilter
    ordering_fields = ["updated_at", "published_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [RolePermission, FactCheckRules]
    action_permissions = {
        "submit": [model_perm(FactCheck, "change")],
        "publish": REVIEW,
        "send_back": REVIEW,
        "withdraw": REVIEW,
    }
    if_match_actions = ("submit", "publish", "send_back", "withdraw")
    response_headers = {
        "retrieve": ("ETag",),
        "create": ("ETag", "Location"),
        "partial_update": ("ETag",),
        "submit": ("ETag",),
        "publish": ("ETag",),
        "send_back": ("ETag",),
        "withdraw": ("ETag",),
    }

    def get_queryset(self):
        return selectors.factcheck_list(user=self.request.user)

    def _respond(self, fact_check: FactCheck, **kwargs) -> Response:
        fresh = self.get_queryset().get(pk=fact_check.pk)
        return versioned_response(self.get_serializer(fresh).data, fresh, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        fact_check = self.get_object()
        return versioned_response(self.get_serializer(fact_check).data, fact_check)

    def create(self, request, *args, **kwargs):
        data = validated(FactCheckWriteSerializer, request.data)
        data["evidence"] = [dict(item) for item in data.get("evidence", [])]
        fact_check = services.factcheck_create(author=request.user, **data)
        return self._respond(
            fact_check,
            status_code=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:factcheck-detail", args=[fact_check.pk])},
        )

    def partial_update(self, request, *args, **kwargs):
        fact_check = self.get_object()
        version = expected_version(request, fact_check)
        data = validated(FactCheckUpdateSerializer, request.data)
        if "evidence" in data:
            data["evidence"] = [dict(item) for item in data["evidence"]]
        services.factcheck_update(fact_check=fact_check, expected_version=version, user=request.user, **data)
        return self._respond(fact_check)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        fact_check = self.get_object()
        version = expected_version(request, fact_check)
        services.factcheck_submit(fact_check=fact_check, expected_version=version, user=request.user)
        return self._respond(fact_check)

    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        fact_check = self.get_object()
        version = expected_version(request, fact_check)
        services.factcheck_publish(fact_check=fact_check, expected_version=version, user=request.user)
        return self._respond(fact_check)

    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        fact_check = self.get_object()
        version = expected_version(request, fact_check)
        comment = validated(SendBackSerializer, request.data)["comment"]
        services.factcheck_send_back(
            fact_check=fact_check, expected_version=version, user=request.user, comment=comment
        )
        return self._respond(fact_check)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        fact_check = self.get_object()
        version = expected_version(request, fact_check)
        reason = validated(WithdrawSerializer, request.data)["reason"]
        services.factcheck_withdraw(
            fact_check=fact_check, expected_version=version, user=request.user, reason=reason
        )
        return self._respond(fact_check)
