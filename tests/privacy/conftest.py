"""Privacy tests run in a matchmaking world: tasks at once, e-mail to mail.outbox."""

from tests.matchmaking.conftest import _immediate_tasks  # noqa: F401
