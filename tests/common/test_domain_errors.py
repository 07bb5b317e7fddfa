"""Every app's refusal is a DomainError(code, message, field=None), answered the same way by the API."""

import pytest

from ascnhub.common.errors import DomainError
from ascnhub.events.services import EventsError
from ascnhub.followup.services import FollowupError
from ascnhub.knowledge.services import KnowledgeError
from ascnhub.matchmaking.errors import MatchmakingError
from ascnhub.projects.services import ReviewError


@pytest.mark.parametrize("cls", [EventsError, FollowupError, KnowledgeError, MatchmakingError, ReviewError])
def test_each_app_error_takes_code_message_field_in_that_order(cls):
    error = cls("too_late", "It is too late for that.", "when")
    assert isinstance(error, DomainError)
    assert (error.code, str(error), error.field) == ("too_late", "It is too late for that.", "when")


def test_conflicting_codes_answer_409_and_the_rest_400():
    assert EventsError("duplicate_email", "Already registered.", "email").status == 409
    assert EventsError("category", "No such category.").status == 400
    assert ReviewError("not_submitted", "Only a submitted report can be reviewed.").status == 409
    assert ReviewError("x", "y").field == "state"
    assert MatchmakingError("self", "You cannot meet yourself.").status == 400
