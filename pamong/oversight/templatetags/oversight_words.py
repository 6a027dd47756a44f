"""Template helpers of the oversight pages."""

from __future__ import annotations

from django import template

from pamong.oversight.selectors import group_words

register = template.Library()


@register.filter
def group(label: str | None) -> str | None:
    """`{{ r.label|group }}`: a fairness group's label (made in Bahasa Indonesia) in the reader's language."""
    return group_words(label)
