"""API reads are rate-limited per token and per address, through the shared (database) cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from ascnhub.api.services import issue_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_each_token_has_its_own_read_allowance(client, settings):
    settings.ASCNHUB_API_READ_RATE_PER_TOKEN = "3/min"
    _, first = issue_token(UserFactory(), "a", ["manage:webhooks"])
    _, second = issue_token(UserFactory(), "b", ["manage:webhooks"])
    codes = [
        client.get("/api/v1/webhooks", HTTP_AUTHORIZATION=f"Bearer {first}").status_code for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/webhooks", HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200


def test_one_address_is_limited_with_or_without_tokens(client, settings):
    settings.ASCNHUB_API_READ_RATE_PER_ADDRESS = "2/min"
    codes = [client.get("/api/v1/cities").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    _, secret = issue_token(UserFactory(), "a", ["manage:webhooks"])
    assert client.get("/api/v1/webhooks", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 429
    # Another address still reads.
    assert client.get("/api/v1/cities", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_writes_are_not_counted_as_reads(client, settings):
    settings.ASCNHUB_API_READ_RATE_PER_ADDRESS = "1/min"
    for _ in range(3):
        assert client.post("/api/v1/webhooks", {}, content_type="application/json").status_code != 429
