"""Template helpers of the cases pages: fact names in words (pamong.cases.labels), never identifiers."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from pamong.cases.labels import fact_label

register = template.Library()


@register.filter
def fact_labels(names: Iterable[str]) -> list[str]:
    """`{{ rule.unknown_facts|fact_labels|join:", " }}`: each fact by its label in the reader's language."""
    return [fact_label(name) for name in names or ()]
