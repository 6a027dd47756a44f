"""The engine's one error type: every problem in a rule file, found at load time, is a RuleError.

A RuleError keeps its English source text (`text`, with %(name)s placeholders) and its parameters (`params`),
so the sandbox can show it in the author's language (docs/ARCHITECTURE.md, ADR 51); `message` is the English
sentence, filled in. A parameter may itself be a message: `said(text, **params)`, a {"text", "params"} dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def said(text: str, **params: Any) -> dict[str, Any]:
    """A message inside a message (e.g. "fact 'income'"), kept as source text and parameters."""
    return {"text": text, "params": params} if params else {"text": text}


def fill(text: str, params: Mapping[str, Any] | None) -> str:
    """The English sentence: `text` with its parameters (nested messages filled in too)."""
    if not params:
        return text
    return text % {
        name: fill(value["text"], value.get("params")) if isinstance(value, Mapping) else value
        for name, value in params.items()
    }


class RuleError(Exception):
    """A rule-set file (or a call into the engine) is wrong; the message says where and what to fix.

    ``subject`` names what the error is about ("rule", "score", "derived", "fact", "table") so that
    ``str()`` reads like ``file:14: rule 'income_below_line': unknown name 'incme' (...)``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        rule_id: str | None = None,
        field: str | None = None,
        subject: str = "rule",
        params: Mapping[str, Any] | None = None,
    ) -> None:
        self.text, self.params = message, dict(params) if params else None
        message = fill(message, params)
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.rule_id = rule_id
        self.field = field
        self.subject = subject

    def __str__(self) -> str:
        where = self.file or "<rules>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        who = f"{self.subject} '{self.rule_id}': " if self.rule_id is not None else ""
        return f"{where}: {who}{self.message}"

    def located(self, *, file: str | None = None, line: int | None = None, **kw: str | None) -> RuleError:
        """Fill in location details that an inner layer (the expression checker) could not know."""
        self.file = self.file or file
        self.line = self.line if self.line is not None else line
        for name, value in kw.items():
            if getattr(self, name) is None:
                setattr(self, name, value)
        return self
