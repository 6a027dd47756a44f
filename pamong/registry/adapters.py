"""Adapters to the registries of other agencies. Each fetches named facts about one person and says where every
value came from and when (provenance). An adapter that cannot answer raises SourceUnavailable: the facts become
unknown and the rules engine refers the case to a person (DESIGN §3: missing data => REFER, never DENY).

Local adapters read the synthetic registry tables of this app (demo and tests). HttpJsonAdapter talks to another
agency's JSON API; configure it in settings.PAMONG_REGISTRY_HTTP_ADAPTERS (an entry named like a local adapter
replaces it, e.g. a real DTSEN endpoint in production).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from pamong.core import generations
from pamong.core.errors import Text, stored

from . import selectors
from .models import Person, ReferenceDataset, VehicleRecord
from .nik import normalize_nik
from .synthetic import age_on

logger = logging.getLogger(__name__)

ELDERLY_AGE = 60
CAR_WHEELS = 4


@dataclass(frozen=True)
class FactValue:
    value: object
    source: str  # e.g. "registry:dtsen", "form", "system"
    fetched_at: str  # ISO 8601, UTC
    note: Text | str = (
        ""  # why a value is missing, or anything a reviewer should know (a Text: in their language)
    )
    dataset: str = ""  # for local copies and reference data: "<dataset id>:<sha256>"

    def provenance(self) -> dict[str, Any]:
        record: dict[str, Any] = {"source": self.source, "fetched_at": self.fetched_at}
        if self.note:
            record["note"] = stored(self.note)
        if self.dataset:
            record["dataset"] = self.dataset
        return record


@dataclass
class AdapterResult:
    facts: dict[str, FactValue]
    problems: list[Text | str] = field(default_factory=list)  # Text: put in the reader's language when shown


class SourceUnavailable(Exception):
    """The source could not answer (down, timed out, refused). Its argument is a `Text` (English source and
    parameters) that the case record keeps and shows in the reader's language; `str()` reads it now."""

    @property
    def reason(self) -> Text | str:
        """What the case record keeps: the Text itself (or the plain message an outside adapter gave)."""
        return self.args[0] if self.args and isinstance(self.args[0], Text) else str(self)


class InconsistentData(SourceUnavailable):
    """The source answered, but with data that cannot be trusted (malformed, about another person)."""


class RegistryAdapter(Protocol):
    name: str

    def fetch(
        self, *, nik: str, facts: list[str], context: Mapping[str, Any] | None = None
    ) -> AdapterResult: ...


def now_iso() -> str:
    return timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# --- local adapters (synthetic registry tables) ------------------------------------------------------------
class LocalAdapter:
    """Base: find the person once, then compute each requested fact the adapter provides."""

    name = ""
    provides: frozenset[str] = frozenset()
    # Facts that have a definite answer even when the NIK is not registered (e.g. "not verified").
    answers_for_unknown_person: frozenset[str] = frozenset()

    def fetch(self, *, nik: str, facts: list[str], context: Mapping[str, Any] | None = None) -> AdapterResult:
        context = context or {}
        try:
            return self._fetch(nik, [f for f in facts if f in self.provides], context)
        except DatabaseError as exc:
            raise SourceUnavailable(
                Text(_("the database of %(source)s cannot be read"), {"source": self.name})
            ) from exc

    def _fetch(self, nik: str, facts: list[str], context: Mapping[str, Any]) -> AdapterResult:
        fetched_at, dataset = now_iso(), remembered(context, "population_label", _population_label)
        person = remembered(context, ("person", nik), lambda: selectors.person_by_nik(nik))
        result = AdapterResult(facts={})
        source = f"registry:{self.name}"
        if person is None and set(facts) - self.answers_for_unknown_person:
            result.problems.append(_not_found(self.name))
        for name in facts:
            if person is None and name not in self.answers_for_unknown_person:
                value, note = None, Text(_("NIK not found in this source"))
            else:
                value, note = self.value(name, person, context), ""
            result.facts[name] = FactValue(value, source, fetched_at, note, dataset)
        return result

    def value(self, name: str, person: Person | None, context: Mapping[str, Any]) -> object:
        raise NotImplementedError


def remembered(context: Mapping[str, Any], key: object, compute: Callable[[], Any]) -> Any:
    """A lookup made once per gathering: `gather_facts` puts a "memo" dict in the context, so the four local
    adapters of one application read its person, household and dataset label once instead of once each."""
    memo = context.get("memo")
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _members(context: Mapping[str, Any], household) -> list[Person]:
    return remembered(context, ("members", household.pk), lambda: selectors.household_members(household))


def _population_label() -> str:
    return generations.cached("reference", "population_label", _read_population_label)


def _read_population_label() -> str:
    dataset = selectors.latest_dataset(ReferenceDataset.Name.POPULATION)
    return f"{dataset.pk}:{dataset.sha256}" if dataset else ""


def _on_date(context: Mapping[str, Any]) -> dt.date:
    return context.get("on_date") or timezone.localdate()


class DukcapilAdapter(LocalAdapter):
    """Population and civil registration: identity, family card (KK) address, household members."""

    name = "dukcapil"
    provides = frozenset(
        {
            "nik_verified",
            "applicant_birth_date",
            "kk_regency_code",
            "kk_district_code",
            "kk_village_code",
            "household_member_count",
            "elderly_count",
            "mother_nik_registered",
            "birth_already_recorded",
        }
    )
    answers_for_unknown_person = frozenset(
        {"nik_verified", "mother_nik_registered", "birth_already_recorded"}
    )

    def value(self, name: str, person: Person | None, context: Mapping[str, Any]) -> object:
        if name in {"mother_nik_registered", "birth_already_recorded"}:
            return self._birth_fact(name, person, context)
        if name == "nik_verified":
            return person is not None
        assert person is not None
        household = person.household
        if name == "applicant_birth_date":
            return person.birth_date
        if name == "kk_regency_code":
            return household.regency_code
        if name == "kk_district_code":
            return household.district_code
        if name == "kk_village_code":
            return household.village_code or None
        members = _members(context, household)
        if name == "household_member_count":
            return len(members)
        day = _on_date(context)
        return sum(1 for m in members if age_on(m.birth_date, day) >= ELDERLY_AGE)  # elderly_count

    def _birth_fact(self, name: str, applicant: Person | None, context: Mapping[str, Any]) -> object:
        # Akta kelahiran: the form names the mother; without it, the applicant is taken to be the mother.
        form = context.get("form") or {}
        mother_nik = normalize_nik(str(form.get("mother_nik") or ""))
        mother = selectors.person_by_nik(mother_nik) if mother_nik else applicant
        if name == "mother_nik_registered":
            return mother is not None
        birth_date = form.get("birth_date")
        if mother is None or not birth_date:
            return None
        day = birth_date if isinstance(birth_date, dt.date) else dt.date.fromisoformat(str(birth_date))
        children = Person.objects.filter(mother_nik_index=mother.nik_index, birth_registered=True)
        return any(child.birth_date == day for child in children)


class DtsenAdapter(LocalAdapter):
    """Data Tunggal Sosial dan Ekonomi Nasional: is the household registered, and its welfare decile."""

    name = "dtsen"
    provides = frozenset({"in_dtsen", "welfare_decile"})

    def value(self, name: str, person: Person | None, context: Mapping[str, Any]) -> object:
        assert person is not None
        household = person.household
        return household.in_dtsen if name == "in_dtsen" else household.welfare_decile


class KorlantasAdapter(LocalAdapter):
    """Vehicle registration: does anyone in the applicant's household own a four-wheeled vehicle."""

    name = "korlantas"
    provides = frozenset({"owns_car", "vehicle_count"})

    def value(self, name: str, person: Person | None, context: Mapping[str, Any]) -> object:
        assert person is not None
        owners = [m.nik_index for m in _members(context, person.household)]
        vehicles = VehicleRecord.objects.filter(owner_nik_index__in=owners)
        if name == "owns_car":
            return vehicles.filter(wheels__gte=CAR_WHEELS).exists()
        return vehicles.count()


class DapodikAdapter(LocalAdapter):
    """School enrolment (Data Pokok Pendidikan): children of the household enrolled from SD to SMA."""

    name = "dapodik"
    provides = frozenset({"school_children_count"})

    def value(self, name: str, person: Person | None, context: Mapping[str, Any]) -> object:
        assert person is not None
        # The members come with their enrolment (`in_school`), shared with the other adapters of this gathering.
        return sum(1 for member in _members(context, person.household) if member.in_school)


LOCAL_ADAPTERS: dict[str, LocalAdapter] = {
    adapter.name: adapter
    for adapter in (DukcapilAdapter(), DtsenAdapter(), KorlantasAdapter(), DapodikAdapter())
}


# --- HTTP adapter ---------------------------------------------------------------------------------------------
class HttpJsonAdapter:
    """POST {"nik": ..., "facts": [...]} to ``base_url + path``; expects {"facts": {name: value}, "nik"?: ...}.

    The NIK travels in the body, never in the URL, so it stays out of access logs. Each attempt has ``timeout``
    seconds (connect and each read). Connection errors and 5xx answers are retried up to ``max_attempts`` with
    exponential backoff (``backoff_seconds`` * 2**n): those are the failures a second try often cures, and the
    bound keeps the citizen's request inside its latency budget. A timeout is not retried: the source is
    slow, and waiting again would only multiply the delay; the case goes to REFER instead.
    """

    def __init__(
        self,
        *,
        name: str,
        base_url: str,
        path: str = "/facts",
        timeout: float = 2.0,
        max_attempts: int = 3,
        backoff_seconds: float = 0.2,
        token: str = "",
        fact_map: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        url = base_url.rstrip("/") + path
        if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
            raise ValueError(f"adapter {name}: base_url must be http or https, got {base_url!r}")
        self.name, self.url, self.timeout = name, url, timeout
        self.max_attempts, self.backoff_seconds = max(1, max_attempts), backoff_seconds
        self.token, self.fact_map, self.sleep = token, dict(fact_map or {}), sleep

    def fetch(self, *, nik: str, facts: list[str], context: Mapping[str, Any] | None = None) -> AdapterResult:
        nik = normalize_nik(nik)
        remote = [self.fact_map.get(name, name) for name in facts]
        body = self._post({"nik": nik, "facts": remote})
        if body is None:  # 404: the source does not know this NIK
            fetched_at = now_iso()
            return AdapterResult(
                facts={n: FactValue(None, self.source, fetched_at, Text(_("NIK not found"))) for n in facts},
                problems=[_not_found(self.name)],
            )
        return self._result(nik, facts, body)

    @property
    def source(self) -> str:
        return f"registry:{self.name}"

    def _result(self, nik: str, facts: list[str], body: object) -> AdapterResult:
        if not isinstance(body, dict) or not isinstance(body.get("facts"), dict):
            raise InconsistentData(
                Text(_("data source %(source)s gave an answer that cannot be read"), {"source": self.name})
            )
        if "nik" in body and normalize_nik(str(body["nik"])) != nik:
            raise InconsistentData(
                Text(_("data source %(source)s gave data about another person"), {"source": self.name})
            )
        fetched_at, remote = now_iso(), body["facts"]
        note = Text(_("data as of %(date)s"), {"date": str(body["as_of"])}) if body.get("as_of") else ""
        result = AdapterResult(facts={})
        for name in facts:
            key = self.fact_map.get(name, name)
            if key in remote:
                result.facts[name] = FactValue(remote[key], self.source, fetched_at, note)
            else:
                result.facts[name] = FactValue(None, self.source, fetched_at, NOT_GIVEN)
                result.problems.append(
                    Text(
                        _("Data source %(source)s did not give %(fact)s."),
                        {"source": self.name, "fact": name},
                    )
                )
        return result

    def _post(self, payload: dict[str, object]) -> object:
        data = json.dumps(payload).encode("utf-8")
        for attempt in range(1, self.max_attempts + 1):
            try:
                return self._once(data)
            except _Retryable as exc:
                if attempt == self.max_attempts:
                    raise SourceUnavailable(
                        Text(
                            _(
                                "data source %(source)s cannot be reached after %(attempts)s attempts (%(error)s)"
                            ),
                            {"source": self.name, "attempts": attempt, "error": exc.args[0]},
                        )
                    ) from exc
                self.sleep(self.backoff_seconds * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def _once(self, data: bytes) -> object:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (scheme checked)
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            return self._http_error(exc)
        except TimeoutError as exc:
            raise SourceUnavailable(self._timed_out()) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise SourceUnavailable(self._timed_out()) from exc
            raise _Retryable(Text(_("connection failed: %(error)s"), {"error": str(exc.reason)})) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise _Retryable(Text(_("connection broken: %(error)s"), {"error": str(exc)})) from exc
        except (ValueError, UnicodeDecodeError) as exc:
            raise InconsistentData(
                Text(_("data source %(source)s gave an answer that is not JSON"), {"source": self.name})
            ) from exc

    def _timed_out(self) -> Text:
        return Text(
            _("data source %(source)s did not answer within %(seconds)s seconds"),
            {"source": self.name, "seconds": f"{self.timeout:g}"},
        )

    def _http_error(self, exc: urllib.error.HTTPError) -> None:
        exc.close()
        if exc.code == 404:
            return None
        if exc.code >= 500:
            raise _Retryable(f"HTTP {exc.code}") from exc
        raise SourceUnavailable(
            Text(
                _("data source %(source)s refused the request (HTTP %(status)s)"),
                {"source": self.name, "status": exc.code},
            )
        ) from exc


class _Retryable(Exception):
    pass


NOT_GIVEN = Text(_("not given by the source"))


def _not_found(source: str) -> Text:
    return Text(_("The applicant's NIK was not found in data source %(source)s."), {"source": source})


def get_adapter(name: str) -> RegistryAdapter | None:
    """The configured HTTP adapter of this name, else the local one, else None."""
    config = getattr(settings, "PAMONG_REGISTRY_HTTP_ADAPTERS", {}).get(name)
    if config:
        return HttpJsonAdapter(name=name, **config)
    return LOCAL_ADAPTERS.get(name)
