"""Domain events that the matchmaking app announces to the apps above it.

Sent inside the service's transaction; receivers (the api app's webhooks) write in it too. See
`events/signals.py` for why apps announce instead of calling upward.
"""

from django.dispatch import Signal

# A scheduling run was published. Keywords: `run`, `meetings` (held), `changed`, `moved` (counts).
schedule_published = Signal()

# The organiser moved a meeting of the published schedule (the same row). Keywords: `meeting`,
# `before` ([slot code, location code] it left).
meeting_moved = Signal()
