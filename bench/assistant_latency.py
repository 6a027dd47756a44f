"""The assistant's latency (issue 18: p95 < 300 ms with the demo catalog, < 1 s with 500 services, on 2 cores):
`POST /api/v1/assistant/ask` through Django's test client in one process (request, knowledge-base check,
retrieval, composition, the masked question written), over the test set's questions. Baseline in the same run
and on the same questions: the catalog search page `GET /layanan/?q=...` (Sastrawi roots, ranked in Python).

    .venv/bin/python bench/assistant_latency.py            # --services 500 --rounds 2
"""

from __future__ import annotations

import argparse
import statistics
import time

import assistant_setup as setup


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(client, questions: list[str], rounds: int) -> tuple[list[float], list[float], list[float]]:
    """Times of the assistant, of the catalog search, and of the assistant's hand-overs alone (each files a
    complaint of type permintaan informasi: two audit appends and a staff notice)."""
    asked, searched, handed = [], [], []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            response = client.post(
                "/api/v1/assistant/ask", {"question": question}, content_type="application/json"
            )
            asked.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
            if response.json()["handover"]:
                handed.append(asked[-1])
            started = time.perf_counter()
            response = client.get("/layanan/", {"q": question})
            searched.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    return asked, searched, handed


def report(
    title: str, asked: list[float], searched: list[float], handed: list[float], budget_ms: float
) -> None:
    p95, base95 = percentile(asked, 95), percentile(searched, 95)
    print(f"\n## {title}: {len(asked)} questions")
    print(
        f"  assistant POST /api/v1/assistant/ask   median {statistics.median(asked):7.1f} ms   p95 {p95:7.1f} ms"
        f"   p99 {percentile(asked, 99):7.1f} ms   budget {budget_ms:.0f} ms: {'met' if p95 < budget_ms else 'MISSED'}"
    )
    print(
        f"  baseline GET /layanan/?q=              median {statistics.median(searched):7.1f} ms   p95 {base95:7.1f} ms"
        f"   p99 {percentile(searched, 99):7.1f} ms"
    )
    print(f"  ratio p95 assistant / catalog search   {p95 / base95:.2f}x")
    answered = sorted(asked)
    for value in handed:
        answered.remove(value)
    print(
        f"  of which answered ({len(answered)}) p95 {percentile(answered, 95):7.1f} ms; handed over as a complaint "
        f"({len(handed)}) median {statistics.median(handed):7.1f} ms p95 {percentile(handed, 95):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    setup.fresh_database()
    setup.load_demo_with_refusal()
    from django.test import Client

    from pamong.assistant import evaluation, knowledge
    from pamong.catalog.models import Service

    questions = [item.question for item in evaluation.load_items()]
    client = Client(HTTP_HOST="localhost")
    for label, budget in (
        ("demo catalog", 300.0),
        (f"demo catalog + {args.services} generated services", 1000.0),
    ):
        if "generated" in label:
            setup.add_generated_services(args.services)
        started = time.perf_counter()
        knowledge.knowledge()  # the first question after a catalog change rebuilds the knowledge base
        build = (time.perf_counter() - started) * 1000
        print(
            f"\n{Service.objects.count()} services; knowledge base built in {build:.0f} ms "
            f"({len(knowledge.knowledge().docs)} documents), once per change of the catalog"
        )
        client.post("/api/v1/assistant/ask", {"question": "syarat akta"}, content_type="application/json")
        client.get("/layanan/", {"q": "syarat akta"})
        asked, searched, handed = measure(client, questions, args.rounds)
        report(label, asked, searched, handed, budget)


if __name__ == "__main__":
    main()
