"""The measured quality over the test set (pamong/assistant/evaluation/questions.yaml) meets the issue's targets:
top-1 source ≥ 90 %, no unsupported sentence, every must-hand-over question handed over."""

from __future__ import annotations

import pytest

from pamong.assistant import evaluation, knowledge

pytestmark = pytest.mark.django_db


def test_the_test_set_is_large_and_covers_every_kind_of_question():
    items = evaluation.load_items()
    assert len(items) >= 150
    assert len({(item.question, item.asker) for item in items}) == len(items)
    must = [item for item in items if item.must]
    assert len(must) >= 20 and all(item.expect == "handover" for item in must)
    kinds = {item.expect.split(":")[0] for item in items}
    assert {"service", "register", "procedure", "application", "handover"} <= kinds


def test_quality_meets_the_targets(world, refused, kb):
    report = evaluation.evaluate(
        kb,
        evaluation.load_items(),
        cases={"warga-ditolak": knowledge.case_facts(world.denied)},
        sign_in_doc=knowledge.sign_in_doc(kb),
    )
    print(report.table())
    print("\n".join(report.misses))
    assert report.unsupported == []
    assert report.supported == report.answered > 100
    assert report.must_recall == 1.0
    assert report.top1 >= 0.90, report.misses


def test_held_out_questions_keep_the_must_hand_over_recall(world, refused, kb):
    """The held-out set (never used to tune the lexicon) is reported, not tuned; but a question that must go to
    a person must go to a person there too."""
    items = evaluation.load_items(evaluation.HOLDOUT)
    report = evaluation.evaluate(
        kb,
        items,
        cases={"warga-ditolak": knowledge.case_facts(world.denied)},
        sign_in_doc=knowledge.sign_in_doc(kb),
    )
    print(report.table())
    print("\n".join(report.misses))
    assert len(items) >= 40
    assert report.unsupported == []
    assert report.must_recall == 1.0, report.misses
