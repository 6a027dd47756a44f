"""The assistant's measured quality (issue 18): top-1 source accuracy, answers whose every sentence is supported
by a cited source, hand-over precision and recall, over `pamong/assistant/evaluation/questions.yaml` (and the
held-out set), on the demo database with `warga-ditolak`'s refused application. Baseline in the same run: the
catalog's own search (`pamong.catalog.selectors.service_list`, Sastrawi roots) taking its first result as the
answer, on the questions whose expected source is a service.

    .venv/bin/python bench/assistant_eval.py
"""

from __future__ import annotations

import assistant_setup as setup


def catalog_search_top1(items) -> tuple[int, int]:
    from pamong.catalog.selectors import service_list

    wanted = [item for item in items if item.expect.startswith("service:")]
    right = 0
    for item in wanted:
        found = service_list(query=item.question)
        right += bool(found) and f"service:{found[0].slug}" == item.expect
    return right, len(wanted)


def main() -> None:
    setup.fresh_database()
    setup.load_demo_with_refusal()
    from pamong.accounts.models import User
    from pamong.assistant import core, evaluation, knowledge
    from pamong.catalog.selectors import service_list

    kb = knowledge.build_knowledge()
    cases = {"warga-ditolak": knowledge.case_facts(User.objects.get(username="warga-ditolak"))}
    for title, path in (("test set", evaluation.QUESTIONS), ("held-out set", evaluation.HOLDOUT)):
        items = evaluation.load_items(path)
        report = evaluation.evaluate(kb, items, cases=cases, sign_in_doc=knowledge.sign_in_doc(kb))
        right, total = catalog_search_top1(items)
        answered = [i for i in items if i.expect.startswith("service:")]
        ours = sum(evaluation.got(core.answer(i.question, kb)) == i.expect for i in answered)
        must = [i for i in items if i.must]
        searched = sum(bool(service_list(query=i.question)) for i in must)
        print(f"\n## {title}: {path.name}\n")
        print(report.table())
        print(
            f"\nbaseline, service questions only ({total}): catalog search top-1 {right / total:.1%} ({right}/{total}),"
            f" assistant {ours / total:.1%} ({ours}/{total}), ratio {ours / max(right, 1):.2f}x"
        )
        print(
            f"baseline, must-hand-over ({len(must)}): catalog search offers a service for {searched}/{len(must)}"
            f" (nothing tells it to stop); assistant hands over {report.must_handed_over}/{len(must)}"
        )
        if report.misses:
            print("\nmisses:\n" + "\n".join(f"- {miss}" for miss in report.misses))


if __name__ == "__main__":
    main()
