"""Load a rule-set version from YAML: structure, names, protected attributes, expressions, hash, compile."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
import keyword
import re
from pathlib import Path

from pamong.rules.errors import RuleError, said
from pamong.rules.explain import Template, parse_template, template_text
from pamong.rules.expr import FUNCTIONS, Node, Scope, names_used, parse_expression
from pamong.rules.model import Derived, Fact, Rule, RuleSet, Score, Table
from pamong.rules.protected import protected_attribute
from pamong.rules.scalar import Program, compile_scalar
from pamong.rules.types import BOOL, NUMERIC, TABLE_KEY_TYPES, TYPES
from pamong.rules.yamlsrc import YList, YMap, YScalar, YValue, load_yaml

FORMAT_VERSION = 1
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
SERVICE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")
SOURCE_RE = re.compile(r"^(form|system|reference|registry:[a-z0-9][a-z0-9_-]{0,40})$")
LIMITS = {"facts": 200, "tables": 20, "derived": 100, "rules": 200, "scores": 50}
MAX_TEXT_CHARS = 2000

TOP_FIELDS = (
    "service",
    "version",
    "title",
    "effective_from",
    "effective_until",
    "legal_basis",
    "tables",
    "facts",
    "derived",
    "rules",
    "scores",
)
FACT_FIELDS = ("type", "source", "description")
TABLE_FIELDS = ("key", "value", "description", "source")
DERIVED_FIELDS = ("expr", "type", "description")
RULE_FIELDS = ("id", "title", "title_en", "require", "on_fail", "explain", "legal_basis")
SCORE_FIELDS = ("expr", "type", "description")
STATUSES = ("passed", "failed", "unknown")
PROTECTED_NOTE = "nationality, ethnicity, religion and race may never be rule inputs"


def load_rule_set(path: str | Path) -> RuleSet:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(
            "cannot read the file: %(error)s", file=str(path), params={"error": str(exc)}
        ) from None
    return load_rule_set_text(text, str(path))


def load_rule_sets(directory: str | Path) -> list[RuleSet]:
    """Every ``*.yaml`` version in ``directory``, sorted by effective_from."""
    paths = sorted(Path(directory).glob("*.yaml"))
    return sorted((load_rule_set(p) for p in paths), key=lambda rs: (rs.effective_from, rs.version_id))


def load_rule_set_text(text: str, filename: str = "<rules>") -> RuleSet:
    return _Loader(filename).load(text)


class _Loader:
    def __init__(self, filename: str) -> None:
        self.file = filename

    # --- error helpers ------------------------------------------------------------------------------
    def error(
        self, message: str, line: int | None, subject: str = "rule", rule_id: str | None = None, **kw
    ) -> RuleError:
        return RuleError(message, file=self.file, line=line, subject=subject, rule_id=rule_id, **kw)

    def mapping(
        self, value: YValue | None, what: str | dict, line: int | None, allowed: tuple[str, ...] = (), **who
    ) -> YMap:
        """`what` names the mapping for the message: a plain word ("facts") or a said() message."""
        what = said(what) if isinstance(what, str) else what
        if not isinstance(value, YMap):
            raise self.error(
                "%(what)s must be a mapping of names to values", line, params={"what": what}, **who
            )
        unknown = [key for key in value if allowed and key not in allowed]
        if unknown:
            key = unknown[0]
            params = {"key": key, "allowed": ", ".join(allowed)}
            message = (
                "unknown field '%(key)s' (allowed: %(allowed)s)"
                if who.get("rule_id")
                else "unknown field '%(key)s' in %(what)s (allowed: %(allowed)s)"
            )
            raise self.error(message, value.key_lines[key], field=key, params={**params, "what": what}, **who)
        return value

    def text(self, parent: YMap, key: str, what: str | dict, required: bool = True, **who) -> str | None:
        value = parent.get(key)
        if value is None:
            if required:
                what = said(what) if isinstance(what, str) else what
                message = "missing '%(key)s'" if who.get("rule_id") else "%(what)s is missing '%(key)s'"
                raise self.error(message, parent.line, field=key, params={"key": key, "what": what}, **who)
            return None
        if not isinstance(value, YScalar) or not value.text.strip():
            raise self.error(
                "'%(key)s' must be a non-empty text",
                parent.key_lines[key],
                field=key,
                params={"key": key},
                **who,
            )
        if len(value.text) > MAX_TEXT_CHARS:
            raise self.error(
                "'%(key)s' is too long (the limit is %(limit)s characters)",
                value.line,
                field=key,
                params={"key": key, "limit": MAX_TEXT_CHARS},
                **who,
            )
        return " ".join(value.text.split())  # re-wrapping a sentence is not a change

    def date(self, parent: YMap, key: str, required: bool) -> dt.date | None:
        value = parent.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, YScalar):
            raise self.error(
                "'%(key)s' is missing; write it as YYYY-MM-DD", parent.line, field=key, params={"key": key}
            )
        typed = value.typed()
        if isinstance(typed, dt.date) and not isinstance(typed, dt.datetime):
            return typed
        try:
            return dt.date.fromisoformat(value.text)
        except ValueError:
            raise self.error(
                "'%(key)s' must be a date written YYYY-MM-DD, got '%(value)s'",
                value.line,
                field=key,
                params={"key": key, "value": value.text[:40]},
            ) from None

    def name(self, name: str, line: int, subject: str) -> str:
        if not NAME_RE.match(name) or keyword.iskeyword(name) or name in FUNCTIONS:
            raise self.error(
                "name '%(name)s' must be lowercase letters, digits and '_', start with a letter, "
                "and not be a Python keyword or a function name",
                line,
                params={"name": name[:70]},
                subject=subject,
                rule_id=name[:70],
                field="name",
            )
        return name

    def protected(self, name: str, parts: dict[str, str | None], line: int, subject: str) -> None:
        for field, text in parts.items():
            found = protected_attribute(text or "")
            if found:
                message = (
                    "%(field)s uses a protected attribute ('%(found)s'); %(note)s"
                    if field == "name"
                    else "%(field)s mentions a protected attribute ('%(found)s'); %(note)s"
                )
                params = {"field": field, "found": found, "note": said(PROTECTED_NOTE)}
                raise self.error(message, line, subject=subject, rule_id=name, field=field, params=params)

    def count(self, section: str, items: YMap | YList) -> None:
        if len(items) > LIMITS[section]:
            raise self.error(
                "too many %(section)s (%(count)s; the limit is %(limit)s)",
                items.line,
                field=section,
                params={"section": section, "count": len(items), "limit": LIMITS[section]},
            )

    # --- the file -----------------------------------------------------------------------------------
    def load(self, text: str) -> RuleSet:
        root = self.mapping(load_yaml(text, self.file), said("a rule-set file"), 1, TOP_FIELDS)
        service = self.text(root, "service", said("the rule set"))
        version = self.text(root, "version", said("the rule set"))
        if not SERVICE_RE.match(service):
            raise self.error(
                "service '%(service)s' must be a slug like 'bansos-pkh'",
                root.key_lines["service"],
                params={"service": service[:70]},
            )
        if not VERSION_RE.match(version):
            raise self.error(
                "version '%(version)s' must be like '2026-01'",
                root.key_lines["version"],
                params={"version": version[:70]},
            )
        stem = Path(self.file).stem
        if self.file.endswith((".yaml", ".yml")) and stem != version:
            raise self.error(
                "version '%(version)s' does not match the file name '%(file)s'",
                root.key_lines["version"],
                params={"version": version, "file": Path(self.file).name},
            )
        effective_from = self.date(root, "effective_from", required=True)
        effective_until = self.date(root, "effective_until", required=False)
        if effective_until is not None and effective_until < effective_from:
            line = root.key_lines["effective_until"]
            raise self.error("effective_until is before effective_from", line, field="effective_until")
        tables = self.tables(root.get("tables"), root)
        facts = self.facts(root.get("facts"), root)
        self.unique_names(facts, tables, root)
        derived = self.derived_values(root.get("derived"), root, facts, tables)
        scope = Scope(
            {n: f.type for n, f in facts.items()},
            {n: d.type for n, d in derived.items()},
            _table_types(tables),
        )
        scores = self.scores(root.get("scores"), root, scope, facts, tables, derived)
        placeholders = {**scope.facts, **scope.derived, **{n: s.type for n, s in scores.items()}}
        fact_deps = _derived_fact_deps(derived)
        rules = self.rules(root.get("rules"), root, scope, placeholders, fact_deps)
        legal = self.legal_basis(root)
        parts = dict(
            service=service,
            version_id=version,
            title=self.text(root, "title", said("the rule set"), required=False) or "",
            effective_from=effective_from,
            effective_until=effective_until,
            legal_basis=legal,
            facts=facts,
            tables=tables,
            derived=derived,
            rules=rules,
            scores=scores,
        )
        canonical = canonical_form(**parts)
        content_hash = "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        program = Program(
            derived=[(n, d.tree) for n, d in derived.items()],
            rules=[(r.id, r.tree, r.on_fail) for r in rules],
            scores=[(n, s.tree) for n, s in scores.items()],
        )
        function, source = compile_scalar(program, f"{service} {version}")
        return RuleSet(
            **parts,
            content_hash=content_hash,
            canonical=canonical,
            source_file=self.file,
            scalar_function=function,
            scalar_source=source,
        )

    def legal_basis(self, root: YMap) -> tuple[str, ...]:
        value = root.get("legal_basis")
        if value is None:
            return ()
        if isinstance(value, YScalar):
            return (self.text(root, "legal_basis", said("the rule set")),)
        if not isinstance(value, YList) or not all(isinstance(v, YScalar) and v.text.strip() for v in value):
            raise self.error("legal_basis must be a text or a list of texts", root.key_lines["legal_basis"])
        return tuple(" ".join(v.text.split()) for v in value)

    # --- declarations -------------------------------------------------------------------------------
    def facts(self, value: YValue | None, root: YMap) -> dict[str, Fact]:
        if value is None:
            raise self.error("the rule set is missing 'facts'", root.line, field="facts")
        section = self.mapping(value, "facts", root.key_lines["facts"])
        self.count("facts", section)
        facts = {}
        for name, body in section.items():
            line = section.key_lines[name]
            self.name(name, line, "fact")
            who = {"subject": "fact", "rule_id": name}
            spec = self.mapping(body, said("fact '%(name)s'", name=name), line, FACT_FIELDS, **who)
            type_name = self.type_name(spec, "type", line, **who)
            source = self.text(spec, "source", said("fact '%(name)s'", name=name), **who)
            if not SOURCE_RE.match(source):
                message = "source '%(source)s' must be form, system, reference or registry:<name>"
                raise self.error(
                    message, spec.key_lines["source"], field="source", params={"source": source[:60]}, **who
                )
            description = self.text(spec, "description", said("fact '%(name)s'", name=name), **who)
            self.protected(name, {"name": name, "description": description, "source": source}, line, "fact")
            facts[name] = Fact(name, type_name, source, description, line)
        return facts

    def tables(self, value: YValue | None, root: YMap) -> dict[str, Table]:
        if value is None:
            return {}
        section = self.mapping(value, "tables", root.key_lines["tables"])
        self.count("tables", section)
        tables = {}
        for name, body in section.items():
            line = section.key_lines[name]
            self.name(name, line, "table")
            who = {"subject": "table", "rule_id": name}
            spec = self.mapping(body, said("table '%(name)s'", name=name), line, TABLE_FIELDS, **who)
            key_type = self.type_name(spec, "key", line, allowed=TABLE_KEY_TYPES, **who)
            value_type = self.type_name(spec, "value", line, **who)
            description = self.text(spec, "description", said("table '%(name)s'", name=name), **who)
            source = (
                self.text(spec, "source", said("table '%(name)s'", name=name), required=False, **who)
                or "reference"
            )
            self.protected(name, {"name": name, "description": description, "source": source}, line, "table")
            tables[name] = Table(name, key_type, value_type, description, source, line)
        return tables

    def type_name(self, spec: YMap, key: str, line: int, allowed: tuple[str, ...] = TYPES, **who) -> str:
        what = said(f"{who.get('subject', 'fact')} '%(name)s'", name=who.get("rule_id"))
        type_name = self.text(spec, key, what, **who)
        if type_name not in allowed:
            message = "unknown type '%(type)s' (allowed: %(allowed)s)"
            params = {"type": type_name[:40], "allowed": ", ".join(allowed)}
            raise self.error(message, spec.key_lines.get(key, line), field=key, params=params, **who)
        return type_name

    def unique_names(self, facts: dict[str, Fact], tables: dict[str, Table], root: YMap) -> None:
        for name, table in tables.items():
            if name in facts:
                raise self.error(
                    "the name is already used by a fact",
                    table.line,
                    subject="table",
                    rule_id=name,
                )

    # --- expressions --------------------------------------------------------------------------------
    def expression(self, spec: YMap, key: str, scope: Scope, line: int, **who) -> tuple[str, Node]:
        value = spec.get(key)
        if not isinstance(value, YScalar):
            raise self.error(
                "'%(key)s' must be an expression (text)",
                spec.key_lines.get(key, line),
                field=key,
                params={"key": key},
                **who,
            )
        where = spec.key_lines[key]
        try:
            tree = parse_expression(value.text, scope)
        except RuleError as exc:
            raise exc.located(file=self.file, line=where, field=key, **who) from None
        return _canonical_expression(value.text), tree

    def derived_values(
        self, value: YValue | None, root: YMap, facts: dict, tables: dict
    ) -> dict[str, Derived]:
        if value is None:
            return {}
        section = self.mapping(value, "derived", root.key_lines["derived"])
        self.count("derived", section)
        derived: dict[str, Derived] = {}
        for name, body in section.items():
            line = section.key_lines[name]
            self.name(name, line, "derived")
            who = {"subject": "derived", "rule_id": name}
            if name in facts or name in tables:
                raise self.error("the name is already used by a fact or table", line, **who)
            spec = self.mapping(
                body, said("derived value '%(name)s'", name=name), line, DERIVED_FIELDS, **who
            )
            scope = Scope(
                {n: f.type for n, f in facts.items()},
                {n: d.type for n, d in derived.items()},
                _table_types(tables),
            )
            text, tree = self.expression(spec, "expr", scope, line, **who)
            type_name = self.declared_type(spec, tree, line, **who)
            description = self.text(spec, "description", said("derived value '%(name)s'", name=name), **who)
            self.protected(name, {"name": name, "description": description}, line, "derived")
            derived[name] = Derived(name, text, type_name, description, line, tree)
        return derived

    def declared_type(self, spec: YMap, tree: Node, line: int, **who) -> str:
        """A declared type may only relabel a whole number as money (or money as int) for display."""
        if "type" not in spec:
            return tree.type
        declared = self.type_name(spec, "type", line, **who)
        relabel = {tree.type, declared} <= {"int", "money"}
        if declared != tree.type and not relabel:
            message = "declared type %(declared)s does not match the expression's type %(type)s"
            if declared == "money" and tree.type == "number":
                message = (
                    "declared type %(declared)s does not match the expression's type %(type)s; "
                    "use // or round() to get whole rupiah"
                )
            params = {"declared": declared, "type": tree.type}
            raise self.error(message, spec.key_lines["type"], field="type", params=params, **who)
        return declared

    def scores(self, value: YValue | None, root: YMap, scope: Scope, *declared: dict) -> dict[str, Score]:
        if value is None:
            return {}
        section = self.mapping(value, "scores", root.key_lines["scores"])
        self.count("scores", section)
        scores = {}
        for name, body in section.items():
            line = section.key_lines[name]
            self.name(name, line, "score")
            who = {"subject": "score", "rule_id": name}
            if any(name in names for names in declared):
                raise self.error("the name is already used by a fact, table or derived value", line, **who)
            spec = self.mapping(body, said("score '%(name)s'", name=name), line, SCORE_FIELDS, **who)
            text, tree = self.expression(spec, "expr", scope, line, **who)
            if tree.type not in NUMERIC:
                raise self.error(
                    "a score must be a number, got %(type)s",
                    spec.key_lines["expr"],
                    field="expr",
                    params={"type": tree.type},
                    **who,
                )
            type_name = self.declared_type(spec, tree, line, **who)
            description = self.text(spec, "description", said("score '%(name)s'", name=name), **who)
            self.protected(name, {"name": name, "description": description}, line, "score")
            scores[name] = Score(name, text, type_name, description, line, tree)
        return scores

    def rules(
        self, value: YValue | None, root: YMap, scope: Scope, placeholders: dict, fact_deps: dict
    ) -> tuple[Rule, ...]:
        if not isinstance(value, YList) or not value:
            raise self.error(
                "'rules' must be a non-empty list", root.key_lines.get("rules", root.line), field="rules"
            )
        self.count("rules", value)
        rules: list[Rule] = []
        for item in value:
            line = item.line
            spec = self.mapping(item, said("a rule"), line)
            rule_id = self.name(self.text(spec, "id", said("a rule")), spec.key_lines["id"], "rule")
            if any(r.id == rule_id for r in rules):
                raise self.error("duplicate rule id", spec.key_lines["id"], rule_id=rule_id, field="id")
            who = {"subject": "rule", "rule_id": rule_id}
            self.mapping(spec, said("a rule"), line, RULE_FIELDS, **who)
            text, tree = self.expression(spec, "require", scope, line, **who)
            if tree.type != BOOL:
                message = "'require' must be true/false (bool), got %(type)s"
                params = {"type": tree.type}
                raise self.error(message, spec.key_lines["require"], field="require", params=params, **who)
            on_fail = self.text(spec, "on_fail", said("rule '%(name)s'", name=rule_id), **who)
            if on_fail not in ("deny", "refer"):
                raise self.error(
                    "on_fail must be deny or refer, got '%(value)s'",
                    spec.key_lines["on_fail"],
                    field="on_fail",
                    params={"value": on_fail[:40]},
                    **who,
                )
            explain = self.explain(spec, placeholders, line, **who)
            legal = self.text(spec, "legal_basis", said("rule '%(name)s'", name=rule_id), **who)
            title = (
                self.text(spec, "title", said("rule '%(name)s'", name=rule_id), required=False, **who)
                or rule_id
            )
            title_en = (
                self.text(spec, "title_en", said("rule '%(name)s'", name=rule_id), required=False, **who)
                or ""
            )
            used = _facts_used(tree, fact_deps)
            rules.append(
                Rule(
                    rule_id, title, text, on_fail, explain, legal, spec.key_lines["id"], tree, used, title_en
                )
            )
        return tuple(rules)

    def explain(self, spec: YMap, placeholders: dict, line: int, **who) -> dict[str, Template]:
        value = spec.get("explain")
        if value is None:
            raise self.error("missing 'explain'", line, field="explain", **who)
        if isinstance(value, YScalar):
            texts = {
                "passed": self.text(spec, "explain", "", **who),
                "failed": self.text(spec, "explain", "", **who),
            }
            lines = dict.fromkeys(texts, spec.key_lines["explain"])
        else:
            body = self.mapping(value, "explain", spec.key_lines["explain"], STATUSES, **who)
            for status in ("passed", "failed"):
                if status not in body:
                    raise self.error(
                        "explain is missing '%(status)s'",
                        body.line,
                        field="explain",
                        params={"status": status},
                        **who,
                    )
            texts = {status: self.text(body, status, "explain", **who) for status in body}
            lines = {status: body.key_lines[status] for status in body}
        out = {}
        for status, text in texts.items():
            try:
                out[status] = parse_template(text, placeholders)
            except RuleError as exc:
                raise exc.located(
                    file=self.file, line=lines[status], field=f"explain.{status}", **who
                ) from None
        return out


def _table_types(tables: dict[str, Table]) -> dict[str, tuple[str, str]]:
    return {name: (t.key_type, t.value_type) for name, t in tables.items()}


def _derived_fact_deps(derived: dict[str, Derived]) -> dict[str, tuple[str, ...]]:
    deps: dict[str, tuple[str, ...]] = {}
    for name, d in derived.items():  # in order, so earlier derived values are already resolved
        deps[name] = _facts_used(d.tree, deps)
    return deps


def _facts_used(tree: Node, derived_deps: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    found: list[str] = []
    for kind, name in sorted(names_used(tree)):
        candidates = (
            [name] if kind == "fact" else list(derived_deps.get(name, ())) if kind == "derived" else []
        )
        found.extend(c for c in candidates if c not in found)
    return tuple(sorted(found))


def _canonical_expression(text: str) -> str:
    """Spacing, redundant parentheses, quote style and 1_000 vs 1000 do not change the canonical form."""
    return ast.unparse(ast.parse(text.strip(), mode="eval"))


def canonical_form(**parts: object) -> str:
    """The content that is hashed: JSON with sorted keys. Order matters only for rules, scores, derived
    values and legal bases (they are shown in that order); mapping key order and YAML layout do not."""
    derived, rules, scores = parts["derived"], parts["rules"], parts["scores"]
    until = parts["effective_until"]
    doc = {
        "format": FORMAT_VERSION,
        "service": parts["service"],
        "version": parts["version_id"],
        "title": parts["title"],
        "effective_from": parts["effective_from"].isoformat(),
        "effective_until": until.isoformat() if until else None,
        "legal_basis": list(parts["legal_basis"]),
        "facts": {
            n: {"type": f.type, "source": f.source, "description": f.description}
            for n, f in parts["facts"].items()
        },
        "tables": {
            n: {"key": t.key_type, "value": t.value_type, "description": t.description, "source": t.source}
            for n, t in parts["tables"].items()
        },
        "derived": [
            {"name": n, "expr": d.expr, "type": d.type, "description": d.description}
            for n, d in derived.items()
        ],
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "require": r.require,
                "on_fail": r.on_fail,
                "explain": {s: template_text(t) for s, t in r.explain.items()},
                "legal_basis": r.legal_basis,
                # only when given, so that adding the field changed no existing version's hash
                **({"title_en": r.title_en} if r.title_en else {}),
            }
            for r in rules
        ],
        "scores": [
            {"id": n, "expr": s.expr, "type": s.type, "description": s.description} for n, s in scores.items()
        ],
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
