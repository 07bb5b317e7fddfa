"""What the common floor announces to the apps above it (they connect in their `ready()`)."""

from __future__ import annotations

from django.dispatch import Signal

#: A step of the translation workflow was taken (common.translations), inside its transaction.
#: Arguments: `version` (the ContentTranslation), `step` ("assigned", "submitted", "approved",
#: "rejected"), `actor`, `recipients` (the users to tell), `title` (the content's name) and `url`
#: (the request's page). The notices app turns it into notices.
translation_step = Signal()
