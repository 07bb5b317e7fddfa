"""Open-data facts for templates: the deployment's OC4IDS identifier prefix."""

from __future__ import annotations

from django import template

from ascnhub.projects.exporters import oc4ids_prefix as _prefix

register = template.Library()


@register.simple_tag
def oc4ids_prefix() -> str:
    return _prefix()
