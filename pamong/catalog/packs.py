"""Service packs: reading and validating `packs/agencies.yaml` and `packs/<slug>/service.yaml`.

Every problem is reported with file, line and field, all at once, so an author fixes a pack in one pass.
Pure module (no Django import): `pamong packs check` and the loader in services.py both use it.

YAML is read with PyYAML's composer so that every key keeps its line; the schema is checked with pydantic
(strict: "5" is not a number of days), whose error locations are mapped back to those lines.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pamong.rules import RuleError, check_versions, load_rule_set

from . import impact

AGENCIES_FILE = "agencies.yaml"
SERVICE_FILE = "service.yaml"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Kemendagri area codes: province (32), regency/city (32.73), district (32.73.01), village (32.73.01.1001).
REGION_CODE = r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$"
FIELD_NAME = r"^[a-z][a-z0-9_]*$"
NUMERIC = {"money", "integer"}
TEXTUAL = {"text", "textarea"}

Path_ = tuple[str | int, ...]

# libyaml's parser when PyYAML has it (the wheels do): the same nodes and marks, several times faster.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class PackProblem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f" {self.field}:" if self.field else ""
        return f"{self.file}:{self.line}:{where} {self.message}"


class PackInvalid(Exception):
    def __init__(self, problems: list[PackProblem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


class AgencySpec(_Strict):
    slug: str = Field(pattern=SLUG, max_length=50)
    name: str = Field(min_length=3, max_length=200)
    name_en: str = ""
    region_code: str = Field(pattern=REGION_CODE)
    region_name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    accountable_official: str = Field(default="", max_length=200)  # name and position, named on decisions


class LegalBasisSpec(_Strict):
    title: str = Field(min_length=3)
    reference: str = ""


class ChoiceSpec(_Strict):
    value: str
    label: str
    label_en: str = ""


class FormFieldSpec(_Strict):
    name: str = Field(pattern=FIELD_NAME, max_length=60)
    label: str = Field(min_length=2)
    label_en: str = ""
    type: Literal[
        "text", "textarea", "integer", "money", "date", "choice", "boolean", "nik", "phone", "email"
    ]
    required: bool = True
    help: str = ""
    help_en: str = ""
    choices: list[ChoiceSpec] = []
    # Ranges (pamong.cases.forms): money and integer fields declare min and max, date fields earliest and
    # latest (an ISO date, or "today"); text fields may shorten their length limit.
    min: int | None = Field(default=None, ge=-(10**15 - 1), le=10**15 - 1)
    max: int | None = Field(default=None, ge=-(10**15 - 1), le=10**15 - 1)
    earliest: dt.date | None = None
    latest: dt.date | Literal["today"] | None = None
    max_length: int | None = Field(default=None, ge=1, le=4000)


class ServiceSpec(_Strict):
    slug: str = Field(pattern=SLUG, max_length=50)
    agency: str
    name: str = Field(min_length=3, max_length=200)
    name_en: str = ""
    summary: str = Field(min_length=10)
    summary_en: str = ""
    category: str
    keywords: list[str] = []
    requirements: list[str] = Field(min_length=1)
    procedure: list[str] = Field(min_length=1)
    completion_days: int = Field(ge=1, le=365)
    fee: int = Field(ge=0)
    fee_note: str = ""
    product: str
    complaint_handling: str
    legal_basis: list[LegalBasisSpec] = Field(min_length=1)
    facilities: list[str] = Field(min_length=1)
    staff_competence: str
    internal_supervision: str
    staff_count: str
    service_guarantee: str
    security_guarantee: str
    performance_evaluation: str
    # The level is computed from the impact assessment (pamong.catalog.impact); a declared level is only a check.
    impact_assessment: dict[str, str]
    impact_level: int | None = Field(default=None, ge=1, le=4)
    automated: bool
    decision_days: int = Field(default=5, ge=1, le=60)
    objection_days: int = Field(default=21, ge=1, le=90)
    appeal_days: int = Field(default=10, ge=1, le=60)
    # Whether one person may hold several applications for this service at once, or apply again right after
    # a grant (a permit per location, say). Default: no; a second one shows the first (issue 15).
    repeat_allowed: bool = False
    # The right to be heard: an automated refusal is first a notice of intended refusal. Only a service of impact
    # level 1 may opt out, and the reason is published in the algorithm register.
    refusal_notice_opt_out: str = Field(default="", max_length=1000)
    form: list[FormFieldSpec] = []


@dataclass
class LoadedPack:
    directory: Path
    service: ServiceSpec
    content_hash: str
    slug_line: int = 1
    assessment: impact.Assessment | None = None


@dataclass
class PackSet:
    agencies: list[AgencySpec] = field(default_factory=list)
    packs: list[LoadedPack] = field(default_factory=list)
    problems: list[PackProblem] = field(default_factory=list)


def read_yaml(path: Path, display: str) -> tuple[Any, dict[Path_, int], list[PackProblem]]:
    """Parse one YAML file into plain data plus a map from each key's path to its 1-based line."""
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=FAST_LOADER)
    except (OSError, UnicodeDecodeError) as exc:
        return None, {}, [PackProblem(display, 1, "", f"cannot read file: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        return None, {}, [PackProblem(display, line, "", f"invalid YAML: {reason}")]
    if node is None:
        return None, {}, [PackProblem(display, 1, "", "the file is empty")]
    lines: dict[Path_, int] = {(): node.start_mark.line + 1}
    try:
        return _to_python(node, (), lines), lines, []
    except yaml.MarkedYAMLError as exc:  # a duplicate key, or a scalar PyYAML cannot construct
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        return None, {}, [PackProblem(display, line, "", f"invalid YAML: {exc.problem}")]


def _to_python(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}'", key_node.start_mark
                )
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _to_python(value_node, (*path, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            items.append(_to_python(item, (*path, index), lines))
        return items
    return _SCALARS.construct_object(node)


# Builds typed scalars (int, bool, date, ...) exactly as yaml.safe_load would.
_SCALARS = yaml.constructor.SafeConstructor()


def _line_for(lines: dict[Path_, int], loc: Path_) -> int:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def _dotted(loc: Path_) -> str:
    return ".".join(str(part) for part in loc)


def _validate(model: type[_Strict], data: Any, display: str, lines: dict[Path_, int], base: Path_ = ()):
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = (*base, *error["loc"])
            message = "field required" if error["type"] == "missing" else error["msg"]
            if error["type"] == "extra_forbidden":
                message = "unknown field (check the spelling against docs/packs.md)"
            problems.append(PackProblem(display, _line_for(lines, loc), _dotted(loc), message))
        return None, problems


def read_agencies(root: Path) -> tuple[list[AgencySpec], list[PackProblem]]:
    path = root / AGENCIES_FILE
    display = _display(path, root)
    data, lines, problems = read_yaml(path, display)
    if problems:
        return [], problems
    if not isinstance(data, dict) or not isinstance(data.get("agencies"), list):
        return [], [PackProblem(display, 1, "agencies", "expected a list under 'agencies:'")]
    agencies: list[AgencySpec] = []
    seen: set[str] = set()
    for index, item in enumerate(data["agencies"]):
        spec, item_problems = _validate(AgencySpec, item, display, lines, ("agencies", index))
        problems += item_problems
        if spec and spec.slug in seen:
            line = _line_for(lines, ("agencies", index, "slug"))
            problems.append(
                PackProblem(display, line, f"agencies.{index}.slug", f"duplicate slug '{spec.slug}'")
            )
        elif spec:
            seen.add(spec.slug)
            agencies.append(spec)
    return agencies, problems


def read_service(
    directory: Path, root: Path, agency_slugs: set[str]
) -> tuple[LoadedPack | None, list[PackProblem]]:
    path = directory / SERVICE_FILE
    display = _display(path, root)
    if not path.exists():
        return None, [PackProblem(display, 1, "", "missing service.yaml")]
    data, lines, problems = read_yaml(path, display)
    if problems:
        return None, problems
    spec, problems = _validate(ServiceSpec, data, display, lines)
    if spec is None:
        return None, problems
    if spec.agency not in agency_slugs:
        known = ", ".join(sorted(agency_slugs)) or "none"
        message = f"unknown agency '{spec.agency}' (known: {known})"
        problems.append(PackProblem(display, _line_for(lines, ("agency",)), "agency", message))
    assessment, impact_problems = _impact_problems(spec, display, lines)
    problems += impact_problems
    problems += _form_problems(spec, display, lines)
    problems += _rule_problems(directory, root, spec)
    if problems:
        return None, problems
    slug_line = _line_for(lines, ("slug",))
    return (
        LoadedPack(
            directory=directory,
            service=spec,
            content_hash=_hash(spec),
            slug_line=slug_line,
            assessment=assessment,
        ),
        [],
    )


def _impact_problems(
    spec: ServiceSpec, display: str, lines: dict[Path_, int]
) -> tuple[impact.Assessment | None, list[PackProblem]]:
    """The impact level comes from the assessment: every question answered, a declared `impact_level` equal to
    the computed one, the automation answer true to `automated`, and the notice opt-out only at level 1."""

    def problem(path: Path_, message: str) -> PackProblem:
        return PackProblem(display, _line_for(lines, path), _dotted(path), message)

    found = [
        problem(("impact_assessment", question), message)
        for question, message in impact.problems(spec.impact_assessment)
    ]
    if found:
        return None, found
    assessment = impact.assess(spec.impact_assessment)
    if spec.impact_level is not None and spec.impact_level != assessment.level:
        found.append(
            problem(
                ("impact_level",),
                f"declared impact level {spec.impact_level}, but the impact assessment gives level "
                f"{assessment.level} (score {assessment.score} of {impact.MAX_SCORE}): correct the answers or "
                "the declared level (the assessment decides)",
            )
        )
    machine = spec.impact_assessment["automation"]
    if not spec.automated and machine != "recommends":
        found.append(
            problem(
                ("impact_assessment", "automation"),
                f"'{machine}' but the service is not automated (automated: false): answer 'recommends'",
            )
        )
    if spec.refusal_notice_opt_out and assessment.level != 1:
        found.append(
            problem(
                ("refusal_notice_opt_out",),
                f"refusal_notice_opt_out is allowed only for impact level 1, and the impact assessment gives "
                f"level {assessment.level} (every other automated refusal must first be a notice of intended "
                "refusal)",
            )
        )
    return assessment, found


def _form_problems(spec: ServiceSpec, display: str, lines: dict[Path_, int]) -> list[PackProblem]:
    problems = []
    seen: set[str] = set()
    for index, form_field in enumerate(spec.form):
        where = ("form", index)
        if form_field.name in seen:
            line = _line_for(lines, (*where, "name"))
            problems.append(
                PackProblem(display, line, f"form.{index}.name", f"duplicate field '{form_field.name}'")
            )
        seen.add(form_field.name)
        if form_field.type == "choice" and not form_field.choices:
            line = _line_for(lines, where)
            problems.append(
                PackProblem(display, line, f"form.{index}.choices", "a choice field needs choices")
            )
        for key, message in _range_problems(form_field):
            line = _line_for(lines, (*where, key))
            problems.append(PackProblem(display, line, f"form.{index}.{key}", message))
    return problems


NEEDS = {"money": ("min", "max"), "integer": ("min", "max"), "date": ("earliest", "latest")}
ALLOWED_ON = {"min": NUMERIC, "max": NUMERIC, "earliest": {"date"}, "latest": {"date"}, "max_length": TEXTUAL}


def _range_problems(form_field: FormFieldSpec) -> list[tuple[str, str]]:
    """Money, counts and dates must say which values make sense (a number means what the citizen meant);
    a range key on a field of another type is a mistake."""
    problems = []
    for key in NEEDS.get(form_field.type, ()):
        if getattr(form_field, key) is None:
            problems.append((key, f"'{key}' is required on {form_field.type} fields (see docs/packs.md)"))
    for key, types in ALLOWED_ON.items():
        if getattr(form_field, key) is not None and form_field.type not in types:
            problems.append((key, f"'{key}' does not apply to {form_field.type} fields"))
    low, high = form_field.min, form_field.max
    if low is not None and high is not None and low > high:
        problems.append(("max", f"max ({high}) is below min ({low})"))
    if form_field.type == "money" and low is not None and low < 0:
        problems.append(("min", "money cannot be negative"))
    earliest, latest = form_field.earliest, form_field.latest
    if earliest is not None and isinstance(latest, dt.date) and earliest > latest:
        problems.append(("latest", f"latest ({latest}) is before earliest ({earliest})"))
    return problems


def _rule_problems(directory: Path, root: Path, spec: ServiceSpec) -> list[PackProblem]:
    """Every rule-set version must load; versions must not overlap or leave gaps; form facts must be form fields."""
    rules_dir = directory / "rules"
    if not rules_dir.is_dir():
        return []
    problems, rule_sets = [], []
    for path in sorted(rules_dir.glob("*.yaml")):
        try:
            rule_sets.append(load_rule_set(path))
        except RuleError as exc:
            problems.append(_from_rule_error(exc, path, root))
    problems += [_from_rule_error(exc, rules_dir, root) for exc in check_versions(rule_sets)]
    fields = {form_field.name for form_field in spec.form}
    for rule_set in rule_sets:
        display = (
            _display(Path(rule_set.source_file), root) if rule_set.source_file else _display(rules_dir, root)
        )
        for fact in rule_set.facts.values():
            if fact.source == "form" and fact.name not in fields:
                message = (
                    f"fact '{fact.name}' comes from the form, but service.yaml has no form field of that name"
                )
                problems.append(PackProblem(display, fact.line, f"facts.{fact.name}", message))
        if rule_set.service != spec.slug:
            message = f"rule set is for service '{rule_set.service}', not '{spec.slug}'"
            problems.append(PackProblem(display, 1, "service", message))
    return problems


def _from_rule_error(exc: Exception, path: Path, root: Path) -> PackProblem:
    file = getattr(exc, "file", None)
    display = (
        _display(Path(file), root) if file and Path(file).is_absolute() else (file or _display(path, root))
    )
    who = (
        f"{exc.subject} '{exc.rule_id}'"
        if getattr(exc, "rule_id", None)
        else (getattr(exc, "field", "") or "")
    )
    return PackProblem(display, getattr(exc, "line", None) or 1, who, exc.message)


def _hash(spec: BaseModel) -> str:
    canonical = json.dumps(
        spec.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def pack_directories(root: Path) -> list[Path]:
    return sorted(
        child for child in root.iterdir() if child.is_dir() and not child.name.startswith((".", "_"))
    )


def read_pack_set(root: Path, only: list[Path] | None = None) -> PackSet:
    """Read agencies and every pack under `root` (or just `only`); collect all problems, including duplicates."""
    result = PackSet()
    result.agencies, result.problems = read_agencies(root)
    agency_slugs = {agency.slug for agency in result.agencies}
    owners: dict[str, str] = {}
    for directory in only or pack_directories(root):
        pack, problems = read_service(directory, root, agency_slugs)
        result.problems += problems
        if pack is None:
            continue
        slug = pack.service.slug
        if slug in owners:
            display = _display(directory / SERVICE_FILE, root)
            message = f"duplicate slug '{slug}': already used by {owners[slug]}"
            result.problems.append(PackProblem(display, pack.slug_line, "slug", message))
            continue
        owners[slug] = _display(directory / SERVICE_FILE, root)
        result.packs.append(pack)
    return result
