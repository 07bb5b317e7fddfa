"""schemathesis against our own OpenAPI document: generated requests to every operation, no server
error, and every answer's status code and body as documented."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from ascnhub.wsgi import application

pytestmark = pytest.mark.django_db


def test_api_honours_its_contract(network):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            # Raises with the request, the answer and the broken rule (5xx, undocumented status, bad body).
            case.call_and_validate()

        check()
