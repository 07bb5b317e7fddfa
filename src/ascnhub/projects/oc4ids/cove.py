"""Run the standard's own validator, lib-cove-oc4ids (what the CoST Infrastructure Data Standard
datastore runs), on a project package, against schemas and codelists served from `schema_base_url`.

lib-cove-oc4ids fetches the package schema, the project schema and every codelist over HTTP; pointing
its configuration at a local copy (tests serve `../shared/standards/oc4ids` on a loopback port) lets
it run with no internet. It is a development dependency (the `dev` extra): publishing never needs it.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CoveReport:
    """What lib-cove-oc4ids found: `schema_errors` as (path, message) pairs, the additional and
    conformance checks' findings, and the values used in codelists that the codelists lack, keyed by
    the field's path (`projects/status`): outside a closed codelist is an error, outside an open one
    is allowed but must be documented (docs/open-data.md)."""

    schema_errors: list[tuple[str, str]] = field(default_factory=list)
    additional_checks: list[dict[str, Any]] = field(default_factory=list)
    conformance_checks: list[dict[str, Any]] = field(default_factory=list)
    open_codelist_values: dict[str, list[str]] = field(default_factory=dict)
    closed_codelist_values: dict[str, list[str]] = field(default_factory=dict)

    @property
    def findings(self) -> int:
        """Everything that makes the package wrong: schema errors, check findings and values outside a
        closed codelist (lib-cove reports those apart from the schema errors, not as enum errors)."""
        return (
            len(self.schema_errors)
            + len(self.additional_checks)
            + len(self.conformance_checks)
            + len(self.closed_codelist_values)
        )


def validate_package(package: dict[str, Any], schema_base_url: str) -> CoveReport:
    """Validate `package` with lib-cove-oc4ids against OC4IDS 0.9.5 served at `schema_base_url`
    (the folder holding project-schema.json, project-package-schema.json and codelists/)."""
    from libcoveoc4ids.api import oc4ids_json_output
    from libcoveoc4ids.config import LibCoveOC4IDSConfig

    base = schema_base_url.rstrip("/") + "/"
    config = LibCoveOC4IDSConfig(
        {
            "schema_host": base,
            "schema_version_choices": {"0.9.5": ("0.9.5", base)},
            "schema_codelists": {"0.9": base + "codelists/"},
        }
    )
    # A JSON round trip gives the validator plain types (no Decimal, no lazy strings).
    data = json.loads(json.dumps(package, ensure_ascii=False))
    with tempfile.TemporaryDirectory(prefix="ascnhub-cove-") as out:
        result = oc4ids_json_output(out, json_data=data, lib_cove_oc4ids_config=config)
    open_values = result.get("additional_open_codelist_values") or {}
    closed_values = result.get("additional_closed_codelist_values") or {}
    report = CoveReport(
        additional_checks=list(result.get("additional_checks") or []),
        conformance_checks=list(result.get("conformance_checks") or []),
        open_codelist_values={key: sorted(v["values"]) for key, v in open_values.items()},
        closed_codelist_values={key: sorted(v["values"]) for key, v in closed_values.items()},
    )
    for error_json, values in result.get("validation_errors") or []:
        error = json.loads(error_json)
        paths = [v.get("path", "") for v in values] or [error.get("path_no_number", "")]
        for path in paths:
            report.schema_errors.append((str(path), error.get("message", "")))
    return report
