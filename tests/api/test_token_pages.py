"""API tokens without a shell: create on the account page (shown once), list, revoke; bad input."""

from __future__ import annotations

import re

import pytest

from ascnhub.api.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_use_list_and_revoke_a_token(client_for):
    user = UserFactory()
    page = client_for(user)
    response = page.post(
        "/account/tokens/", {"name": "city dashboard", "scopes": ["manage:webhooks"], "days": "30"}
    )
    html = response.content.decode()
    secret = re.search(r'data-testid="token-secret">([^<]+)<', html).group(1)
    assert response["Cache-Control"] == "private, no-store"
    # The secret works with the API...
    api = client_for(None)
    assert api.get("/api/v1/webhooks", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    # ...and is never shown again; the list shows its prefix.
    listing = page.get("/account/tokens/").content.decode()
    assert secret not in listing and "city dashboard" in listing and secret[:12] in listing
    token = ApiToken.objects.get(user=user)
    assert 29 <= (token.expires_at - token.created_at).days <= 30
    page.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked
    assert api.get("/api/v1/webhooks", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_an_unknown_scope_or_bad_expiry_is_refused_and_creates_nothing(client_for):
    page = client_for(UserFactory())
    response = page.post("/account/tokens/", {"name": "x", "scopes": ["write:everything"], "days": "30"})
    assert response.status_code == 400 and "write:everything" in response.content.decode()
    response = page.post("/account/tokens/", {"name": "x", "scopes": ["read:private"], "days": "5000"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(client_for):
    from ascnhub.api.services import issue_token

    owner = UserFactory()
    token, _ = issue_token(owner, "mine", ["read:private"])
    response = client_for(UserFactory()).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert not token.revoked


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get("/account/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
