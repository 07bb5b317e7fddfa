"""The `ascnhub` command.

Engine commands (`schedule`, `match`) run without Django so they start fast and work on any
machine; everything else is a Django management command (`ascnhub migrate`, `ascnhub serve`,
`ascnhub demo load`, ...).
"""

from __future__ import annotations

import os
import sys

# Commands served by the pure engines: name -> module with `main(argv: list[str]) -> int`.
ENGINE_COMMANDS = {
    "schedule": "ascnhub.engine.scheduling.cli",
    "match": "ascnhub.engine.matching.cli",
}


def main(argv: list[str] | None = None) -> int:
    """Dispatch to an engine CLI or to Django's management commands."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ENGINE_COMMANDS:
        import importlib

        module = importlib.import_module(ENGINE_COMMANDS[args[0]])
        return int(module.main(args[1:]) or 0)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascnhub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ascnhub", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
