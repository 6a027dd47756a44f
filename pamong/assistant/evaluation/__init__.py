"""The assistant's measured quality over its test set (`questions.yaml`): top-1 source accuracy, the share of
answers whose every sentence is supported by a cited source, and hand-over precision and recall. Pure: it is given
the knowledge base and each asker's applications (built from the database by the caller)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pamong.assistant import core

QUESTIONS = Path(__file__).with_name("questions.yaml")
HOLDOUT = Path(__file__).with_name("holdout.yaml")  # never used to tune the lexicon


@dataclass(frozen=True)
class Item:
    question: str
    expect: str  # "<kind>:<slug>", "application" or "handover"
    must: bool = False
    asker: str = ""


@dataclass
class Report:
    total: int = 0
    top1_correct: int = 0
    answered: int = 0
    supported: int = 0
    handovers: int = 0
    handover_expected: int = 0
    handover_correct: int = 0  # handed over and expected to be
    must: int = 0
    must_handed_over: int = 0
    misses: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)

    @property
    def top1(self) -> float:
        return self.top1_correct / self.total if self.total else 0.0

    @property
    def support(self) -> float:
        return self.supported / self.answered if self.answered else 1.0

    @property
    def handover_precision(self) -> float:
        return self.handover_correct / self.handovers if self.handovers else 1.0

    @property
    def handover_recall(self) -> float:
        return self.handover_correct / self.handover_expected if self.handover_expected else 1.0

    @property
    def must_recall(self) -> float:
        return self.must_handed_over / self.must if self.must else 1.0

    def table(self) -> str:
        rows = [
            ("questions", f"{self.total}"),
            ("top-1 source accuracy", f"{self.top1:.1%} ({self.top1_correct}/{self.total})"),
            (
                "answers with every sentence supported",
                f"{self.support:.1%} ({self.supported}/{self.answered})",
            ),
            ("unsupported answers", f"{self.answered - self.supported}"),
            (
                "hand-over precision",
                f"{self.handover_precision:.1%} ({self.handover_correct}/{self.handovers})",
            ),
            (
                "hand-over recall",
                f"{self.handover_recall:.1%} ({self.handover_correct}/{self.handover_expected})",
            ),
            (
                "hand-over recall, must-hand-over",
                f"{self.must_recall:.1%} ({self.must_handed_over}/{self.must})",
            ),
        ]
        width = max(len(name) for name, _ in rows)
        lines = [f"| {'measure'.ljust(width)} | value |", f"|{'-' * (width + 2)}|---|"]
        lines += [f"| {name.ljust(width)} | {value} |" for name, value in rows]
        return "\n".join(lines)


def load_items(path: Path = QUESTIONS) -> list[Item]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Item(
            question=str(row["q"]),
            expect=str(row["expect"]),
            must=bool(row.get("must")),
            asker=row.get("as", ""),
        )
        for row in raw
    ]


def got(answer: core.Answer) -> str:
    if answer.handover:
        return "handover"
    top = answer.top_source
    if top is None:
        return "-"
    return "application" if top.kind == "application" else f"{top.kind}:{top.slug}"


def evaluate(
    kb: core.KnowledgeBase,
    items: Sequence[Item],
    *,
    cases: Mapping[str, Sequence[core.CaseFacts]],
    sign_in_doc: core.Doc | None,
) -> Report:
    report = Report()
    fields = kb.fields_of()
    for item in items:
        asker_cases = cases.get(item.asker, []) if item.asker else []
        answer = core.answer(
            item.question, kb, cases=asker_cases, signed_in=bool(item.asker), sign_in_doc=sign_in_doc
        )
        result = got(answer)
        report.total += 1
        if result == item.expect:
            report.top1_correct += 1
        else:
            report.misses.append(f"{item.question!r}: expected {item.expect}, got {result}")
        if item.expect == "handover":
            report.handover_expected += 1
        if item.must:
            report.must += 1
            report.must_handed_over += answer.handover
        if answer.handover:
            report.handovers += 1
            report.handover_correct += item.expect == "handover"
            continue
        report.answered += 1
        case_fields = {(c.source.kind, c.source.slug): c.fields for c in asker_cases}
        problems = core.supported(answer, {**fields, **case_fields})
        if problems or not answer.sentences:
            report.unsupported.append(f"{item.question!r}: {problems or 'no sentence'}")
        else:
            report.supported += 1
    return report
