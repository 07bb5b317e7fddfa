"""What the projects pages let apps on higher floors add, without projects importing them.

projects sits below matchmaking (docs/architecture.md, "Floors"): a project page cannot ask
matchmaking for its leads. It announces the page instead, and an app above answers with its part
(as pretix's pages let its plugins add theirs). A receiver is connected in its app's `ready()`.
"""

from __future__ import annotations

from django.dispatch import Signal

#: Sent while a project's page is built, with `request` and `project`. Each receiver returns HTML
#: (a safe string, "" for nothing), shown after the project's funders and partners.
project_page_sections = Signal()

#: Sent while the needs list is built, with `request`. Each receiver returns a list of
#: `(url, label)` links, shown beside the "New need" button.
need_list_links = Signal()
