"""The OC4IDS project schema (a copy, see README.md) and a validator for our project package.

`jsonschema` is needed only to validate (tests, `ascnhub check_open_data`); publishing does not need it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

# The required shape of an OC4IDS project package (project-package-schema.json, not copied).
PACKAGE_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "required": ["uri", "publisher", "publishedDate", "version", "projects"],
    "properties": {
        "uri": {"type": "string", "format": "uri", "minLength": 1},
        "publisher": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "scheme": {"type": "string"},
                "uid": {"type": "string"},
                "uri": {"type": "string", "format": "uri"},
            },
        },
        "publishedDate": {"type": "string", "format": "date-time"},
        "version": {"type": "string", "enum": ["0.9"]},
        "license": {"type": "string", "format": "uri"},
        "publicationPolicy": {"type": "string", "format": "uri"},
        "projects": {"type": "array", "items": {"type": "object"}},
    },
}


@lru_cache(maxsize=1)
def project_schema() -> dict[str, Any]:
    with resources.files(__package__).joinpath("project-schema.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def package_errors(package: dict[str, Any]) -> list[str]:
    """Every way the package breaks the package shape or the OC4IDS project schema (empty: valid)."""
    from jsonschema import Draft4Validator, FormatChecker

    checker = FormatChecker()
    errors = [
        f"package: {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft4Validator(PACKAGE_SCHEMA, format_checker=checker).iter_errors(package)
    ]
    validator = Draft4Validator(project_schema(), format_checker=checker)
    for i, project in enumerate(package.get("projects") or []):
        for e in validator.iter_errors(project):
            errors.append(
                f"projects/{i} ({project.get('id')}): {'/'.join(map(str, e.absolute_path))}: {e.message}"
            )
    return errors
