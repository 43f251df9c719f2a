"""Accounts in a role can sign in to the admin and do what the role allows."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_add_user_in_a_role_and_change_it(monkeypatch, capsys):
    call_command("add_user", "ana", "--role", "editor")
    out = capsys.readouterr().out
    assert "shown only this once" in out
    ana = get_user_model().objects.get(username="ana")
    assert ana.is_staff and not ana.is_superuser
    assert [g.name for g in ana.groups.all()] == ["Editor"]
    assert ana.has_perm("annotations.add_annotation") and not ana.has_perm("annotations.review_factcheck")

    monkeypatch.setattr("sys.stdin", io.StringIO("a-much-longer-passphrase-42\n"))
    call_command("add_user", "ana", "--role", "fact-checker", "--password-stdin")
    ana = get_user_model().objects.get(username="ana")
    assert [g.name for g in ana.groups.all()] == ["Fact-checker"]
    assert ana.check_password("a-much-longer-passphrase-42")
    assert ana.has_perm("annotations.review_factcheck")


def test_weak_password_is_refused(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError, match="Password refused"):
        call_command("add_user", "bo", "--role", "viewer", "--password-stdin")
    assert not get_user_model().objects.filter(username="bo").exists()
