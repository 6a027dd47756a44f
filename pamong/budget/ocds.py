"""Reading procurement data published in the Open Contracting Data Standard (OCDS 1.1): a release package, a
record package, or a JSON array of releases. ocdskit tells the formats apart and upgrades OCDS 1.0 data;
ocdsmerge (OCP's reference implementation) merges each process's releases into its compiled release; jsonschema
validates every release against the part of the release schema Pamong reads (data/ocds-release-subset.schema.json,
which also gives ocdsmerge its merge rules: the full schema is not shipped and cannot be fetched at run time).
Every problem names the file, the release and the field, in the reader's language (ADR 51). Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import ocdsmerge
from ocdskit import upgrade, util
from ocdsmerge.exceptions import OCDSMergeError

from pamong.core.errors import Text
from pamong.core.errors import gettext_noop as _

from .csvfile import Problem

SCHEMA_FILE = Path(__file__).with_name("data") / "ocds-release-subset.schema.json"
MAX_RELEASES = 200_000


@dataclass(frozen=True)
class Process:
    """One contracting process: its compiled release and what the flags read from it."""

    ocid: str
    title: str
    date: dt.date
    method: str
    tenderers: int | None
    amount: int | None
    compiled: dict[str, Any]


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@cache
def _validator() -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(schema())


@cache
def _merger() -> ocdsmerge.Merger:
    return ocdsmerge.Merger(schema=schema())


def read(data: bytes, *, file: str, max_problems: int = 50) -> tuple[list[Process], list[Problem]]:
    """The processes in an OCDS file, or its problems (a release is named by its position and ocid)."""
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        return [], [Problem(file, 0, "-", _("not valid JSON: %(error)s"), {"error": str(exc)})]
    releases = _releases(document)
    if releases is None:
        return [], [
            Problem(
                file,
                0,
                "-",
                _(
                    "not an OCDS release package, record package or list of releases (ocdskit does not recognise it)"
                ),
            )
        ]
    if not releases:
        return [], [Problem(file, 0, "releases", _("there are no releases"))]
    if len(releases) > MAX_RELEASES:
        return [], [
            Problem(
                file,
                0,
                "releases",
                _("more than %(max)s releases; split the file"),
                {"max": f"{MAX_RELEASES:,}"},
            )
        ]
    problems: list[Problem] = []
    by_ocid: dict[str, list[dict[str, Any]]] = {}
    for position, release in enumerate(releases, start=1):
        found = _check(release, file=file, position=position)
        problems.extend(found)
        if not found:
            by_ocid.setdefault(release["ocid"], []).append(release)
        if len(problems) >= max_problems:
            return [], problems[:max_problems]
    if problems:
        return [], problems
    processes = []
    for ocid, group in by_ocid.items():
        try:
            compiled = _merger().create_compiled_release(group)
        except OCDSMergeError as exc:
            return [], [
                Problem(
                    file,
                    0,
                    ocid,
                    _("the releases of this process cannot be merged (ocdsmerge): %(error)s"),
                    {"error": str(exc)},
                )
            ]
        processes.append(_process(compiled))
    return processes, []


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _releases(document: Any) -> list[dict[str, Any]] | None:
    if isinstance(document, list):
        return document if all(isinstance(r, dict) and util.is_release(r) for r in document) else None
    if not isinstance(document, dict):
        return None
    if util.get_ocds_minor_version(document) == "1.0":
        document = upgrade.upgrade_10_11(document)
    if util.is_release_package(document) and isinstance(document["releases"], list):
        return document["releases"]
    if util.is_record_package(document) and isinstance(document["records"], list):
        releases = []
        for record in document["records"]:
            if not isinstance(record, dict) or not isinstance(record.get("releases"), list):
                return None
            releases.extend(
                r for r in record["releases"] if isinstance(r, dict) and not util.is_linked_release(r)
            )
        return releases
    if util.is_release(document):
        return [document]
    return None


def _check(release: Any, *, file: str, position: int) -> list[Problem]:
    where = Text(_("release %(position)s"), {"position": position})
    if not isinstance(release, dict):
        return [Problem(file, position, "-", _("%(release)s must be a JSON object"), {"release": where})]
    name = (
        Text(_("release %(position)s (%(ocid)s)"), {"position": position, "ocid": release["ocid"]})
        if isinstance(release.get("ocid"), str)
        else where
    )
    problems = [
        Problem(
            file,
            position,
            "/".join(str(p) for p in error.absolute_path) or "-",
            "%(release)s: %(error)s",  # jsonschema's own words (English) after the release
            {"release": name, "error": error.message},
        )
        for error in sorted(_validator().iter_errors(release), key=lambda e: list(map(str, e.absolute_path)))
    ]
    for path, text in _dates(release):
        try:
            dt.datetime.fromisoformat(text)
        except ValueError:
            problems.append(
                Problem(
                    file,
                    position,
                    path,
                    _("%(release)s: '%(value)s' is not an ISO 8601 date-time"),
                    {"release": name, "value": text},
                )
            )
    return problems


def _dates(release: dict[str, Any]):
    if isinstance(release.get("date"), str):
        yield "date", release["date"]
    for section, key in (("awards", "date"), ("contracts", "dateSigned")):
        for i, entry in enumerate(release.get(section) or []):
            if isinstance(entry, dict) and isinstance(entry.get(key), str):
                yield f"{section}/{i}/{key}", entry[key]


def _process(compiled: dict[str, Any]) -> Process:
    tender = compiled.get("tender") or {}
    contracts = compiled.get("contracts") or []
    awards = compiled.get("awards") or []
    amount = None
    for entries in (contracts, awards):
        values = [e["value"]["amount"] for e in entries if isinstance(e.get("value"), dict)]
        if values:
            amount = round(sum(values))
            break
    if amount is None and isinstance(tender.get("value"), dict):
        amount = round(tender["value"]["amount"])
    signed = [c["dateSigned"] for c in contracts if c.get("dateSigned")] or [
        a["date"] for a in awards if a.get("date")
    ]
    when = dt.datetime.fromisoformat(min(signed) if signed else compiled["date"]).date()
    return Process(
        ocid=compiled["ocid"],
        title=str(tender.get("title") or "")[:500],
        date=when,
        method=tender.get("procurementMethod") or "",
        tenderers=tender.get("numberOfTenderers"),
        amount=amount,
        compiled=compiled,
    )
