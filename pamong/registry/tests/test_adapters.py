"""Registry adapters: the local registries answer every fact the rule packs declare; the HTTP adapter retries
what a retry can cure, gives up within its bounds, and never trusts an answer about someone else."""

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from pamong.registry import demo
from pamong.registry.adapters import (
    LOCAL_ADAPTERS,
    HttpJsonAdapter,
    InconsistentData,
    SourceUnavailable,
    get_adapter,
)

PACKS = Path(__file__).resolve().parents[3] / "packs"
ON = {"on_date": dt.date(2026, 3, 2)}


def declared_registry_facts() -> dict[str, set[str]]:
    """{adapter: {fact, ...}} over every `source: registry:<adapter>` fact in packs/*/rules/*.yaml."""
    declared: dict[str, set[str]] = {}
    for path in sorted(PACKS.glob("*/rules/*.yaml")):
        for name, spec in (yaml.safe_load(path.read_text())["facts"] or {}).items():
            if spec["source"].startswith("registry:"):
                declared.setdefault(spec["source"].removeprefix("registry:"), set()).add(name)
    return declared


def test_every_registry_fact_of_every_pack_has_a_local_adapter():
    declared = declared_registry_facts()
    assert set(declared) == {"dukcapil", "dtsen", "korlantas", "dapodik"}
    for adapter, facts in declared.items():
        assert facts <= LOCAL_ADAPTERS[adapter].provides, adapter


def fetch(adapter: str, nik: str, facts: list[str], **context) -> dict[str, object]:
    result = LOCAL_ADAPTERS[adapter].fetch(nik=nik, facts=facts, context={**ON, **context})
    return {name: fact.value for name, fact in result.facts.items()}


@pytest.mark.parametrize(
    ("nik", "expected"),
    [
        (
            demo.WARGA_NIK,
            {
                "in_dtsen": True,
                "owns_car": False,
                "kk_regency_code": "3273",
                "kk_village_code": "3273091003",
                "elderly_count": 1,
                "school_children_count": 2,
                "nik_verified": True,
                "applicant_birth_date": dt.date(1987, 8, 1),
            },
        ),
        (
            demo.DENIED_NIK,
            {
                "in_dtsen": False,
                "owns_car": True,
                "kk_regency_code": "3273",
                "kk_village_code": "3273071005",
                "elderly_count": 0,
                "school_children_count": 1,
                "nik_verified": True,
                "applicant_birth_date": dt.date(1975, 6, 12),
            },
        ),
        (
            demo.REFER_NIK,
            {
                "in_dtsen": True,
                "owns_car": False,
                "kk_regency_code": "3204",
                "kk_village_code": "3204052001",
                "elderly_count": 0,
                "school_children_count": 1,
                "nik_verified": True,
                "applicant_birth_date": dt.date(1980, 1, 25),
            },
        ),
        (
            demo.UNREGISTERED_NIK,
            {
                "in_dtsen": None,
                "owns_car": None,
                "kk_regency_code": None,
                "kk_village_code": None,
                "elderly_count": None,
                "school_children_count": None,
                "nik_verified": False,
                "applicant_birth_date": None,
            },
        ),
    ],
)
def test_local_adapters_answer_for_the_demo_people(registry_data, nik, expected):
    got = {
        **fetch("dtsen", nik, ["in_dtsen"]),
        **fetch("korlantas", nik, ["owns_car"]),
        **fetch("dapodik", nik, ["school_children_count"]),
        **fetch(
            "dukcapil",
            nik,
            ["kk_regency_code", "kk_village_code", "elderly_count", "nik_verified", "applicant_birth_date"],
        ),
    }
    assert got == expected


def test_elderly_count_depends_on_the_date(registry_data):
    # Enah Suhaenah turns 60 on 2017-11-05.
    assert fetch("dukcapil", demo.WARGA_NIK, ["elderly_count"], on_date=dt.date(2017, 11, 4)) == {
        "elderly_count": 0
    }
    assert fetch("dukcapil", demo.WARGA_NIK, ["elderly_count"], on_date=dt.date(2017, 11, 5)) == {
        "elderly_count": 1
    }


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (
            {"mother_nik": demo.WARGA_NIK, "birth_date": "2014-07-20"},
            {"mother_nik_registered": True, "birth_already_recorded": True},
        ),
        (
            {"mother_nik": demo.WARGA_NIK, "birth_date": "2026-02-20"},
            {"mother_nik_registered": True, "birth_already_recorded": False},
        ),
        (
            {"mother_nik": demo.UNREGISTERED_NIK, "birth_date": "2026-02-20"},
            {"mother_nik_registered": False, "birth_already_recorded": None},
        ),
    ],
)
def test_birth_facts_follow_the_mother_named_in_the_form(registry_data, form, expected):
    facts = ["mother_nik_registered", "birth_already_recorded"]
    assert fetch("dukcapil", demo.WARGA_HUSBAND_NIK, facts, form=form) == expected


def test_local_facts_carry_provenance(registry_data):
    result = LOCAL_ADAPTERS["dtsen"].fetch(nik=demo.WARGA_NIK, facts=["in_dtsen"], context=ON)
    fact = result.facts["in_dtsen"]
    assert fact.source == "registry:dtsen"
    assert fact.fetched_at.endswith("Z") and dt.datetime.fromisoformat(fact.fetched_at)
    dataset_id, sha = fact.dataset.split(":")
    assert dataset_id.isdigit() and len(sha) == 64
    assert result.problems == []


def test_an_unregistered_nik_is_a_problem_not_a_denial(registry_data):
    result = LOCAL_ADAPTERS["dtsen"].fetch(nik=demo.UNREGISTERED_NIK, facts=["in_dtsen"], context=ON)
    assert result.facts["in_dtsen"].value is None
    assert str(result.facts["in_dtsen"].note) == "NIK tidak ditemukan pada sumber ini"
    assert [str(p) for p in result.problems] == ["NIK pemohon tidak ditemukan pada sumber data dtsen."]


# --- HTTP ------------------------------------------------------------------------------------------------------
class Server:
    """A JSON server on 127.0.0.1 whose answers come from `respond(request_number, body)`."""

    def __init__(self, respond: Callable[[int, dict], tuple[int, object]]) -> None:
        self.requests: list[tuple[str, dict]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append((self.path, body))
                status, answer = respond(len(server.requests), body)
                payload = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def adapter(url: str, **options) -> tuple[HttpJsonAdapter, list[float]]:
    sleeps: list[float] = []
    options.setdefault("timeout", 2.0)
    return HttpJsonAdapter(name="dtsen", base_url=url, sleep=sleeps.append, **options), sleeps


def answer(body: dict) -> dict:
    return {"nik": body["nik"], "facts": {"in_dtsen": True, "welfare_decile": 2}, "as_of": "2026-02-28"}


def test_a_flaky_server_is_retried_with_backoff():
    with Server(lambda n, body: (503, {"error": "busy"}) if n <= 2 else (200, answer(body))) as server:
        http, sleeps = adapter(server.url, max_attempts=3, backoff_seconds=0.2)
        result = http.fetch(nik=demo.WARGA_NIK, facts=["in_dtsen"])
    assert result.facts["in_dtsen"].value is True
    assert result.facts["in_dtsen"].source == "registry:dtsen"
    assert str(result.facts["in_dtsen"].note) == "data per 2026-02-28"
    assert sleeps == [0.2, 0.4]
    assert [path for path, _ in server.requests] == ["/facts"] * 3  # the NIK is never in the URL
    assert server.requests[0][1] == {"nik": demo.WARGA_NIK, "facts": ["in_dtsen"]}


def test_retries_are_bounded():
    with Server(lambda n, body: (500, {})) as server:
        http, sleeps = adapter(server.url, max_attempts=4, backoff_seconds=0.1)
        with pytest.raises(SourceUnavailable, match="setelah 4 kali percobaan"):
            http.fetch(nik=demo.WARGA_NIK, facts=["in_dtsen"])
    assert len(server.requests) == 4
    assert sleeps == [0.1, 0.2, 0.4]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def test_a_server_that_never_answers_times_out(silent_port):
    http, sleeps = adapter(f"http://127.0.0.1:{silent_port}", timeout=0.3, max_attempts=3)
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match=r"tidak menjawab dalam 0\.3 detik"):
        http.fetch(nik=demo.WARGA_NIK, facts=["in_dtsen"])
    assert time.monotonic() - started < 2.0
    assert sleeps == []  # a timeout is not retried


def test_a_refused_connection_is_retried_then_unavailable():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    http, sleeps = adapter(f"http://127.0.0.1:{port}", max_attempts=2, backoff_seconds=0.05)
    with pytest.raises(SourceUnavailable, match="setelah 2 kali percobaan"):
        http.fetch(nik=demo.WARGA_NIK, facts=["in_dtsen"])
    assert sleeps == [0.05]


def test_an_answer_about_another_person_is_refused():
    with Server(lambda n, body: (200, {**answer(body), "nik": demo.DENIED_NIK})) as server:
        http, _ = adapter(server.url)
        with pytest.raises(InconsistentData, match="data milik orang lain"):
            http.fetch(nik=demo.WARGA_NIK, facts=["in_dtsen"])


@pytest.mark.parametrize("payload", [b"<html>oops</html>", b'{"facts": [1, 2]}', b"[]"])
def test_an_unreadable_answer_is_refused(payload):
    with Server(lambda n, body: (200, payload)) as server:
        http, sleeps = adapter(server.url)
        with pytest.raises(InconsistentData):
            http.fetch(nik=demo.WARGA_NIK, facts=["in_dtsen"])
    assert sleeps == []


def test_not_found_and_missing_facts_become_unknown():
    with Server(lambda n, body: (404, {"error": "not found"})) as server:
        result = adapter(server.url)[0].fetch(nik=demo.WARGA_NIK, facts=["in_dtsen"])
    assert result.facts["in_dtsen"].value is None
    assert [str(p) for p in result.problems] == ["NIK pemohon tidak ditemukan pada sumber data dtsen."]
    with Server(lambda n, body: (200, {"facts": {}})) as server:
        result = adapter(server.url)[0].fetch(nik=demo.WARGA_NIK, facts=["in_dtsen"])
    assert result.facts["in_dtsen"].value is None
    assert [str(p) for p in result.problems] == ["Sumber data dtsen tidak memberikan data in_dtsen."]


def test_a_client_error_is_not_retried():
    with Server(lambda n, body: (403, {"error": "forbidden"})) as server:
        http, sleeps = adapter(server.url)
        with pytest.raises(SourceUnavailable, match="menolak permintaan \\(HTTP 403\\)"):
            http.fetch(nik=demo.WARGA_NIK, facts=["in_dtsen"])
    assert len(server.requests) == 1 and sleeps == []


def test_fact_names_can_be_mapped_to_the_agency_vocabulary():
    with Server(lambda n, body: (200, {"facts": {"terdaftar_dtsen": "ya"}})) as server:
        http, _ = adapter(server.url, fact_map={"in_dtsen": "terdaftar_dtsen"})
        result = http.fetch(nik=demo.WARGA_NIK, facts=["in_dtsen"])
    assert server.requests[0][1]["facts"] == ["terdaftar_dtsen"]
    assert result.facts["in_dtsen"].value == "ya"  # typed later, by gather_facts


def test_only_http_urls_are_accepted():
    with pytest.raises(ValueError, match="must be http or https"):
        HttpJsonAdapter(name="x", base_url="file:///etc")


def test_settings_can_replace_a_local_adapter(settings):
    assert get_adapter("dtsen") is LOCAL_ADAPTERS["dtsen"]
    settings.PAMONG_REGISTRY_HTTP_ADAPTERS = {"dtsen": {"base_url": "http://127.0.0.1:9", "timeout": 1}}
    configured = get_adapter("dtsen")
    assert isinstance(configured, HttpJsonAdapter) and configured.url == "http://127.0.0.1:9/facts"
    assert get_adapter("bpjs") is None
