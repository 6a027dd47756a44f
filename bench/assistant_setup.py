"""A throw-away database for the assistant's benchmarks: migrated, the demo loaded (`pamong/site/demo.py`), the
refused bansos application of `warga-ditolak` (rules propose DENY, an officer confirms), and optionally N more
generated services (written as service packs and loaded through `load_packs`, like real ones)."""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ["PAMONG_VAR_DIR"] = tempfile.mkdtemp(prefix="pamong-bench-assistant-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings.local")
os.environ["DJANGO_DEBUG"] = "false"
os.environ["PAMONG_RATE_PUBLIC"] = "1000000/m"  # one client asks every question: not a limit being measured

import django  # noqa: E402

django.setup()

import yaml  # noqa: E402
from django.core.management import call_command  # noqa: E402

PACKS = REPO / "packs"
# Words of Indonesian public services, to give generated services a realistic vocabulary.
WORDS = (  # noqa: SIM905  (a sentence of words reads better than a list literal)
    "izin usaha toko apotek klinik bengkel salon restoran hotel kos reklame bangunan gedung jalan parkir "
    "air limbah sampah kebersihan taman makam pemakaman nikah kelahiran kematian pindah datang domisili "
    "keterangan rekomendasi sertifikat tanah sewa pasar kios lapak pedagang nelayan petani ternak pupuk "
    "benih irigasi sekolah guru beasiswa kesehatan puskesmas posyandu bidan vaksin disabilitas lansia "
    "yatim piatu bencana banjir kebakaran angkutan trayek ojek taksi kendaraan uji kir terminal pelabuhan "
    "kapal ikan koperasi umkm pelatihan kerja pencari magang pariwisata festival seni budaya olahraga "
    "lapangan stadion perpustakaan arsip data statistik peta tata ruang lingkungan amdal pohon tebang"
).split()


def fresh_database() -> None:
    call_command("migrate", verbosity=0)


def load_demo_with_refusal() -> None:
    from pamong.accounts.models import User
    from pamong.cases import services as cases
    from pamong.catalog.models import Service
    from pamong.registry import demo as registry_demo
    from pamong.site.demo import load_demo

    load_demo(packs_root=PACKS)
    citizen = User.objects.get(username="warga-ditolak")
    officer = User.objects.get(username="petugas")
    application, _ = cases.submit_application(
        actor=citizen,
        service=Service.objects.get(slug="bansos-pkh"),
        applicant=citizen,
        form=dict(registry_demo.DEMO_BANSOS_FORMS[registry_demo.DENIED_NIK]),
    )
    cases.claim_application(application, actor=officer)
    cases.decide_application(application, actor=officer, outcome="DENY", reasons="Di atas garis kemiskinan.")


def add_generated_services(count: int, seed: int = 7) -> None:
    """`count` more services: the demo's `kartu-keluarga` pack with generated names, keywords and summaries."""
    from pamong.catalog import services as catalog

    rng = random.Random(seed)
    root = Path(os.environ["PAMONG_VAR_DIR"]) / "generated-packs"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copy(PACKS / "agencies.yaml", root / "agencies.yaml")
    template = yaml.safe_load((PACKS / "kartu-keluarga" / "service.yaml").read_text(encoding="utf-8"))
    agencies = [a["slug"] for a in yaml.safe_load((PACKS / "agencies.yaml").read_text())["agencies"]]
    for n in range(count):
        words = rng.sample(WORDS, 4)
        pack = dict(template)
        pack.update(
            slug=f"layanan-{n:03d}-{words[0]}-{words[1]}",
            agency=rng.choice(agencies),
            name=f"{words[0].title()} {words[1].title()} {words[2].title()} ({n})",
            keywords=[" ".join(rng.sample(WORDS, 2)) for _ in range(4)],
            summary=" ".join(rng.sample(WORDS, 20)).capitalize() + ".",
            completion_days=rng.randint(1, 14),
            automated=False,
        )
        directory = root / pack["slug"]
        directory.mkdir()
        (directory / "service.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    catalog.load_packs(root=root, actor="system:bench")
