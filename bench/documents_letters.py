"""Decision letters (pamong.documents), against baselines measured in the same run.

    .venv/bin/python bench/documents_letters.py [--letters 40] [--requests 1000] [--batch 1000]

(0 skips a part; the verification page needs --letters for a letter to check.)

Figures:
- one letter rendered (WeasyPrint), signed (pyHanko PAdES) and stored with its audit entry: p50/p95 over
  --letters letters (budget p95 <= 300 ms), against WeasyPrint rendering a one-line page (the renderer's floor),
  with the CPU time beside the wall time; then render+sign as before the cut (fresh font configuration per
  document, pyHanko measuring the signature first) against render+sign now, interleaved on the same letters;
- the public verification page /v/<code>, in process through the whole middleware stack: p99 over --requests
  requests (budget p99 <= 50 ms), against the home page in the same run;
- a batch of --batch letters through `start_batch` + `run_batch` (the job), letters/s and the time 10,000 would
  take at that rate; then the batch is run again to show that nothing is issued twice.
Uses a throw-away SQLite database under a temporary PAMONG_VAR_DIR with the demo data.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["PAMONG_VAR_DIR"] = tempfile.mkdtemp(prefix="pamong-bench-documents-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings.local")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"  # the in-process test client
os.environ["PAMONG_RATE_VERIFY"] = "1000000/m"  # the bench measures the page, not the limiter

import django

django.setup()

import weasyprint  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.sign import fields, signers  # noqa: E402

from pamong.accounts.models import User  # noqa: E402
from pamong.cases import services as cases  # noqa: E402
from pamong.cases.models import Application, Decision  # noqa: E402
from pamong.catalog.models import Service  # noqa: E402
from pamong.documents import rendering, services, signing  # noqa: E402
from pamong.documents.models import Batch, Letter  # noqa: E402
from pamong.registry import demo as registry_demo  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def decisions(count: int) -> list[Decision]:
    """`count` final GRANT decisions on one granted application (copies of its automatic decision)."""
    warga = User.objects.get(username="warga")
    service = Service.objects.get(slug="bansos-pkh")
    # Once granted, a second application is refused as not needed (issue 15): later calls reuse the first.
    application = Application.objects.filter(applicant=warga, service=service, status="granted").first()
    if application is None:
        application, _ = cases.submit_application(
            actor=warga,
            service=service,
            applicant=warga,
            form=dict(registry_demo.DEMO_BANSOS_FORMS[registry_demo.WARGA_NIK]),
        )
        Letter.objects.filter(application=application).delete()  # the bench issues its own letters
    first = application.decisions.filter(final=True).order_by("decided_at", "pk").first()
    copies = [
        Decision(
            application=application,
            kind=first.kind,
            outcome=first.outcome,
            final=True,
            decided_at=timezone.now(),
            reasons=first.reasons,
            legal_basis=first.legal_basis,
            evaluation=first.evaluation,
            facts={},
            audit_index=first.audit_index,
        )
        for _ in range(count)
    ]
    return Decision.objects.bulk_create(copies, batch_size=500)


def render_and_sign_uncached(letter: Letter) -> bytes:
    """The render+sign path as it was before issue 14's second round: a fresh font configuration per document
    and pyHanko measuring the signature with a dummy container first. The same-run baseline for the cut."""
    html = rendering.render_html(
        services.letter_context(letter, number=letter.number, issued_at=timezone.now())
    )
    pdf = weasyprint.HTML(string=html).render().write_pdf()
    meta = signers.PdfSignatureMetadata(
        field_name=signing.FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="bench",
        location="bench",
    )
    return signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signing.signer()
    ).getvalue()


def render_and_sign(letter: Letter) -> bytes:
    """The path `issue_letter` takes now (shared font configuration, signature room known in advance)."""
    contexts = services.letter_contexts(letter, number=letter.number, issued_at=timezone.now())
    return signing.sign_pdf(rendering.render_pdf(contexts), reason="bench", location="bench")


def timed_ms(call, items) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of `call(item)` for each item (CPU shows the work; wall adds the machine's
    load, which on this shared 2-core machine is often several times the work)."""
    wall, cpu = [], []
    for item in items:
        started, started_cpu = time.perf_counter(), time.process_time()
        call(item)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def bench_one_letter(count: int) -> None:
    letters = [services.queue_letter(decision=d, enqueue=False) for d in decisions(count + 2)]
    for letter in letters[:2]:  # warm-up: fonts, templates, the signer
        services.issue_letter(letter_id=letter.pk)
    times, cpu = timed_ms(lambda letter: services.issue_letter(letter_id=letter.pk), letters[2:])
    assert Letter.objects.filter(pk__in=[x.pk for x in letters], status="valid").count() == len(letters)
    floor, _ = timed_ms(lambda _: weasyprint.HTML(string="<p>Pamong</p>").write_pdf(), range(count))
    issued = list(Letter.objects.filter(pk__in=[x.pk for x in letters[2:]]).select_related("application"))
    # Interleaved, so both see the same load: the path before the cut, and the path now, on the same letters.
    before, before_cpu, now, now_cpu = [], [], [], []
    for letter in issued:
        wall, used = timed_ms(render_and_sign_uncached, [letter])
        before += wall
        before_cpu += used
        wall, used = timed_ms(render_and_sign, [letter])
        now += wall
        now_cpu += used
    sizes = [letter.size for letter in Letter.objects.filter(status="valid")]
    p50, p95, f50 = statistics.median(times), pct(times, 0.95), statistics.median(floor)
    print(
        f"  one letter (render+sign+store+audit)  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
        f"({p95 / 300:.2f}x the 300 ms budget; p50 {p50 / f50:.1f}x WeasyPrint on a one-line page, {f50:.1f} ms)"
    )
    print(
        f"    CPU time per letter                 p50 {statistics.median(cpu):6.1f} ms  p95 {pct(cpu, 0.95):6.1f} ms"
        f"  (wall/CPU at p50: {p50 / statistics.median(cpu):.1f}x, the machine's load)"
    )
    print(
        f"  render+sign, before the cut           p50 {statistics.median(before):6.1f} ms  "
        f"CPU p50 {statistics.median(before_cpu):6.1f} ms"
    )
    print(
        f"  render+sign, now                      p50 {statistics.median(now):6.1f} ms  "
        f"CPU p50 {statistics.median(now_cpu):6.1f} ms  "
        f"({statistics.median(now_cpu) / statistics.median(before_cpu):.2f}x the CPU before, same run)"
    )
    print(f"  letter size                           max {max(sizes) / 1024:.1f} KB (budget 150 KB)")


def bench_verify_page(requests: int) -> None:
    code = Letter.objects.filter(status="valid").values_list("code", flat=True).first()
    client = Client()
    for _ in range(20):
        client.get(f"/v/{code}")
        client.get("/")

    def timed(path: str) -> tuple[list[float], int]:
        times, size = [], 0
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            size = len(response.content)
        return times, size

    page, size = timed(f"/v/{code}")
    home, _ = timed("/")
    p99, h99 = pct(page, 0.99), pct(home, 0.99)
    print(
        f"  verification page /v/<code>           p50 {statistics.median(page):5.1f} ms  p99 {p99:5.1f} ms  "
        f"({p99 / 50:.2f}x the 50 ms budget; {p99 / h99:.2f}x the home page's p99, {h99:.1f} ms); "
        f"{size / 1024:.1f} KB (budget 20 KB)"
    )


def bench_batch(count: int) -> None:
    made = decisions(count)
    started = time.perf_counter()
    batch = services.start_batch(
        actor="system:bench", decisions=Decision.objects.filter(pk__in=[d.pk for d in made]), label="bench"
    )
    queued = time.perf_counter() - started
    started = time.perf_counter()
    issued = services.run_batch(batch_id=batch.pk)
    seconds = time.perf_counter() - started
    batch = Batch.objects.get(pk=batch.pk)
    again = services.run_batch(batch_id=batch.pk)
    rate = issued / seconds
    print(
        f"  batch of {count:,} letters               queued in {queued:.1f} s, issued in {seconds:.1f} s "
        f"({rate:.1f} letters/s; 10,000 would take {10_000 / rate / 60:.1f} min); progress {batch.done}/"
        f"{batch.total}; run again: {again} issued twice"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=40)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    print(f"documents bench: SQLite in {os.environ['PAMONG_VAR_DIR']}")
    if args.letters:
        bench_one_letter(args.letters)
    if args.requests:
        bench_verify_page(args.requests)
    if args.batch:
        bench_batch(args.batch)


if __name__ == "__main__":
    main()
