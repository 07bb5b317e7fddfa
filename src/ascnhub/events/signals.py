"""Domain events that the events app announces to the apps above it.

A lower app must not import a higher one (see docs/architecture.md, "Floors"). When something
here matters upstairs — an integrator's webhook, say — the service sends one of these signals
inside its transaction and the higher app listens (`api/receivers.py`), as pretix fires its
webhooks from its log. Receivers run synchronously in the sender's transaction, so whatever they
write commits or rolls back with the change itself.
"""

from django.dispatch import Signal

# A registration's status changed (sent after the row is saved). Keywords: `registration`, and
# `event`, what its registrant is told ("received" for a new one, "approved", "declined" …).
registration_changed = Signal()

# A registration was cancelled (sent after the row is saved). Keyword: `registration`. Matchmaking
# withdraws the person's 1:1 requests and meetings and tells the other sides.
registration_cancelled = Signal()

# A forum sign-up is about to be stored. Keywords: `registration`, `session`. A receiver refuses
# it by raising a `DomainError` naming the reason (matchmaking: a clashing published 1:1).
signup_requested = Signal()
