"""Append-only audit log storage (DESIGN §5). Rows are written only by pamong.audit.services.

`AuditEntry.entry` holds the exact canonical-JSON bytes that were hashed (public: digests only, never personal
data); `payload` keeps the private payload (canonical JSON) for auditors, and its SHA-256 is inside the entry.
`AuditNode` stores the hash of every *complete* subtree (level >= 1), so proofs need O(log n) lookups.
"""

from __future__ import annotations

import json

from django.db import models


class AuditEntry(models.Model):
    index = models.BigIntegerField(primary_key=True)
    created_at = models.DateTimeField()
    actor = models.CharField(max_length=80)
    action = models.CharField(max_length=80, db_index=True)
    subject = models.CharField(max_length=160, db_index=True)
    entry = models.TextField()
    leaf_hash = models.BinaryField(max_length=32)
    # Canonical JSON text of the private payload, exactly the bytes whose SHA-256 is in the entry: verify hashes
    # the stored text directly instead of parsing and re-serialising a million JSON documents.
    payload = models.TextField(default="{}")

    class Meta:
        ordering = ["index"]
        verbose_name = "entri audit"
        verbose_name_plural = "entri audit"

    def __str__(self) -> str:
        return f"#{self.index} {self.action} {self.subject}"

    @property
    def data(self) -> dict:
        return json.loads(self.payload)


class AuditNode(models.Model):
    level = models.PositiveSmallIntegerField()
    position = models.BigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "position"], name="audit_node_unique")]

    def __str__(self) -> str:
        return f"node ({self.level}, {self.position})"


class SignedTreeHead(models.Model):
    tree_size = models.BigIntegerField()
    root_hash = models.BinaryField(max_length=32)
    timestamp = models.DateTimeField()
    key_id = models.CharField(max_length=64)
    signature = models.BinaryField(max_length=64)

    class Meta:
        ordering = ["-tree_size", "-timestamp"]
        indexes = [models.Index(fields=["tree_size"])]

    def __str__(self) -> str:
        return f"tree head of size {self.tree_size}"
