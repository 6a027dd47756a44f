"""The ground floor's one table: the generation tokens of pamong.core.generations."""

from __future__ import annotations

from django.db import models


class Generation(models.Model):
    """A family of rarely written tables and its token, changed by a trigger on every write to them (ADR 64)."""

    family = models.CharField(max_length=32, primary_key=True)
    token = models.BigIntegerField()

    class Meta:
        db_table = "core_generation"

    def __str__(self) -> str:
        return self.family
