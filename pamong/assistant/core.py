"""The assistant's pure core (no Django): understand an everyday Indonesian question, find what Pamong knows
about it, and compose an answer only from that knowledge, or say that a person must answer.

Pipeline: normalise (informal words, abbreviations, typos; `lexicon.py`) -> look for hand-over signals (a request
for a person, distress, abuse) -> detect what is asked (requirements, fee, time, ...) -> rank the documents with
BM25 (`bm25s`) over Sastrawi roots (`pamong.catalog.search`) -> judge confidence (share of the question's content
words the best document covers) -> compose sentences from templates whose every slot is a field of a cited
source. `supported()` re-checks that claim for any answer; the evaluation (`bench/assistant_eval.py`) counts it.

Documents are built from the database by `pamong.assistant.knowledge`; this module never reads it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import bm25s

from pamong.catalog.search import stem_word, stems
from pamong.core.errors import gettext_noop, translate

from . import lexicon

# --- documents ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    kind: str  # service | rule | procedure | application | register
    slug: str
    url: str
    title: str


@dataclass(frozen=True)
class Doc:
    """One thing Pamong knows, with the fields answers are composed from (all strings or lists of strings)."""

    source: Source
    fields: Mapping[str, Any]
    # (text, weight): what retrieval matches. Weight 0: indexed once but not a *core* text (requirements, rule
    # explanations): it helps ranking, but a word naming another agency's service must be in a core text.
    index_parts: tuple[tuple[str, int], ...] = ()
    agency: str = ""  # the agency that answers for it (slug)
    service: str = ""  # the service it belongs to (slug), if any


@dataclass(frozen=True)
class CaseFacts:
    """One of the signed-in citizen's own applications, as `knowledge.case_facts` reads it from the database."""

    source: Source  # kind "application"
    service: str  # service slug
    fields: Mapping[str, Any]  # service_name, reference, status, status_text, failed_reasons, ...


# --- answers --------------------------------------------------------------------------------------------------

# Every sentence of an answer is one of these templates; each slot is filled with one field of the cited source.
# The words are English msgids (`gettext_noop`: the catalogue holds them, in Indonesian), translated when a sentence
# is read, in the reader's language (`Sentence.text`); a template of slots alone has no words to translate. The
# slots keep what the source says (the agency's texts are Indonesian; Pamong's own words in a field are translated
# by the field itself, see `pamong.assistant.knowledge`).
TEMPLATES: dict[str, str] = {
    "requirements_head": gettext_noop("Requirements for {name}:"),
    "item": "• {item}",
    "step": "{n}. {step}",
    "procedure_head": gettext_noop("How to apply for {name}:"),
    "time": gettext_noop(
        "{name} is completed within {completion_days} working days once the requirements are complete."
    ),
    "time_one": gettext_noop(
        "{name} is completed within {completion_days} working day once the requirements are complete."
    ),
    "fee": gettext_noop("Cost of {name}: {fee_text}."),
    "fee_note": "{fee_note}.",
    "guarantee": "{service_guarantee}.",
    "summary": "{summary}",
    "product": gettext_noop("What the service gives: {product}."),
    "legal_head": gettext_noop("Legal basis of {name}:"),
    "complaint": gettext_noop("Complaints about {name}: {complaint_handling}"),
    "objection_days": gettext_noop(
        "An objection to a decision on {name} can be filed within {objection_days} working days of receiving "
        "the decision, from your application's page."
    ),
    "appeal_days": gettext_noop(
        "If the objection is refused, an appeal to the superior level can be filed within {appeal_days} "
        "working days."
    ),
    "objection_days_one": gettext_noop(
        "An objection to a decision on {name} can be filed within {objection_days} working day of receiving "
        "the decision, from your application's page."
    ),
    "appeal_days_one": gettext_noop(
        "If the objection is refused, an appeal to the superior level can be filed within {appeal_days} "
        "working day."
    ),
    "decision_days": gettext_noop(
        "An application for {name} is decided within {decision_days} working days; if it is not decided in "
        "time, it is deemed granted."
    ),
    "decision_days_one": gettext_noop(
        "An application for {name} is decided within {decision_days} working day; if it is not decided in "
        "time, it is deemed granted."
    ),
    "automated": "{automated_text}",
    "agency": gettext_noop("This service is provided by {agency_name}."),
    "text": "{text}",
    "contact_head": "{name}",
    "address": gettext_noop("Address: {address}."),
    "phone": gettext_noop("Phone: {phone}."),
    "hours": gettext_noop("Counter opening hours: {hours}."),
    "rules_head": gettext_noop("Rules used for {name} (version {version}):"),
    "rule": "{title}. {failed_hint}",
    "case_status": gettext_noop("Your application for {service_name} ({reference}): {status_text}."),
    "case_denied": gettext_noop("Your application for {service_name} ({reference}) was refused."),
    "case_proposed": gettext_noop(
        "Your application for {service_name} ({reference}) is not decided yet: the rules propose a refusal, "
        "and an officer decides by {decision_due}."
    ),
    "case_reasons_head": gettext_noop("The reasons, according to the published rules:"),
    "case_officer_reasons": gettext_noop("The officer's reasons: {officer_reasons}"),
    "case_objection": gettext_noop("You can file an objection until {objection_until} at {objection_url}"),
    "case_step": "{step}",
    "case_none": gettext_noop("There is no application in your name for {service_name} yet."),
    "sign_in": "{text}",
    "more": gettext_noop("More: {url}"),
}


# A template that counts days has a singular twin (`<name>_one`), said when its count is 1: English needs "1 working
# day"; the Indonesian of both is the same.
COUNTED = {
    "time": "completion_days",
    "objection_days": "objection_days",
    "appeal_days": "appeal_days",
    "decision_days": "decision_days",
}


def template_words(template: str) -> str:
    """A template in the reader's language (its slots unchanged)."""
    return translate(TEMPLATES[template])


@dataclass(frozen=True)
class Sentence:
    template: str
    slots: tuple[tuple[str, str, str], ...]  # (slot, field path in the source, value)
    source: int  # index into Answer.sources

    @property
    def text(self) -> str:
        return template_words(self.template).format(**{slot: value for slot, _path, value in self.slots})


@dataclass(frozen=True)
class Answer:
    sentences: tuple[Sentence, ...] = ()
    sources: tuple[Source, ...] = ()
    handover: bool = False
    reason: str = (
        ""  # why handed over: low_confidence | out_of_scope | other_agency | human | distress | abuse
    )
    urgency: str = "biasa"  # darurat for distress
    intent: str = ""
    agency: str = ""  # the agency whose staff should answer a hand-over (slug; "" = the default)
    service: str = ""  # a hand-over's closest service (slug; "" = none), the category of its complaint
    confidence: float = 0.0

    @property
    def text(self) -> str:
        return "\n".join(sentence.text for sentence in self.sentences)

    @property
    def top_source(self) -> Source | None:
        return self.sources[0] if self.sources else None


def field_value(fields: Mapping[str, Any], path: str) -> str:
    """`name`, `requirements.2`, `legal_basis.0`: a field or one item of a list field, as text."""
    name, _, index = path.partition(".")
    value = fields[name]
    if index:
        value = value[int(index)]
    return str(value)


def supported(answer: Answer, fields_of: Mapping[tuple[str, str], Mapping[str, Any]]) -> list[str]:
    """The sentences of `answer` not supported by a cited source: an unknown template, a source index that cites
    nothing, or a slot whose value is not the value of that field of the source (`fields_of[(kind, slug)]`).
    An empty list means every sentence is supported."""
    problems = []
    for sentence in answer.sentences:
        if sentence.template not in TEMPLATES or not 0 <= sentence.source < len(answer.sources):
            problems.append(sentence.text if sentence.template in TEMPLATES else sentence.template)
            continue
        source = answer.sources[sentence.source]
        fields = fields_of.get((source.kind, source.slug))
        slots = {slot for slot, _path, _value in sentence.slots}
        wanted = set(re.findall(r"{(\w+)}", TEMPLATES[sentence.template]))
        if fields is None or slots != wanted:
            problems.append(sentence.text)
            continue
        for _slot, path, value in sentence.slots:
            try:
                if field_value(fields, path) != value:
                    problems.append(sentence.text)
                    break
            except (KeyError, IndexError, ValueError, TypeError):
                problems.append(sentence.text)
                break
    return problems


# --- understanding --------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Lower-case words with informal spellings and abbreviations replaced (`lexicon.NORMAL`), repeated letters
    folded ("bangeeet"), reduplication marks dropped ("anak2" -> "anak")."""
    out: list[str] = []
    for word in _TOKEN.findall(text.lower().replace("-", " ")):
        word = re.sub(r"([a-z])\1{2,}", r"\1", word)
        if len(word) > 2 and word.endswith("2") and word[:-1].isalpha():
            word = word[:-1]
        out.extend(lexicon.NORMAL.get(word, word).split())
    return out


def has_phrase(words: Sequence[str], phrases: Iterable[str]) -> bool:
    joined = " " + " ".join(words) + " "
    return any(f" {phrase} " in joined for phrase in phrases)


def detect_intent(words: Sequence[str]) -> str:
    for intent, phrases in lexicon.INTENTS:
        if has_phrase(words, phrases):
            return intent
    return "general"


def is_own_case(words: Sequence[str], *, serving: bool = False) -> bool:
    """About the asker's own application; at a counter (`serving`) a word about a case is enough: the officer
    asks for the citizen they serve ("kenapa permohonannya ditolak")."""
    if serving:
        return has_phrase(words, lexicon.CASE_WORDS) or any(word in lexicon.SERVED_CASE for word in words)
    return has_phrase(words, lexicon.OWN) and has_phrase(words, lexicon.CASE_WORDS)


# --- the index ------------------------------------------------------------------------------------------------


@dataclass
class KnowledgeBase:
    docs: list[Doc]
    default_agency: str = ""
    retriever: Any = field(init=False, repr=False)
    vocabulary: frozenset[str] = field(init=False, repr=False)  # roots in any document
    words: tuple[str, ...] = field(init=False, repr=False)  # surface words in any document (for typos)
    doc_roots: list[frozenset[str]] = field(init=False, repr=False)
    core_roots: list[frozenset[str]] = field(init=False, repr=False)
    key_roots: list[frozenset[str]] = field(init=False, repr=False)  # of name, keywords, titles (weight ≥ 2)
    by_key: dict[tuple[str, str], Doc] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        corpus: list[list[str]] = []
        surface: set[str] = set()
        self.core_roots = []
        self.key_roots = []
        for doc in self.docs:
            roots: list[str] = []
            core_roots: set[str] = set()
            key_roots: set[str] = set()
            for text, weight in doc.index_parts:
                expanded = " ".join(tokens(text))
                surface.update(_TOKEN.findall(expanded))
                found = stems(expanded)
                roots.extend(found * max(weight, 1))
                if weight:
                    core_roots.update(found)
                if weight >= 2:
                    key_roots.update(found)
            corpus.append(roots or ["-"])
            self.core_roots.append(frozenset(core_roots))
            self.key_roots.append(frozenset(key_roots))
        self.doc_roots = [frozenset(roots) for roots in corpus]
        self.vocabulary = frozenset().union(*self.doc_roots) if self.doc_roots else frozenset()
        self.words = tuple(sorted(w for w in surface if len(w) >= 4 and not w.isdigit()))
        self.retriever = bm25s.BM25()
        self.retriever.index(corpus, show_progress=False)
        self.by_key = {(doc.source.kind, doc.source.slug): doc for doc in self.docs}

    def fields_of(self) -> dict[tuple[str, str], Mapping[str, Any]]:
        return {key: doc.fields for key, doc in self.by_key.items()}

    def correct(self, word: str) -> str:
        """A misspelt word replaced by the closest word the documents use (difflib ratio ≥ 0.8), else itself."""
        if len(word) < 5 or word in lexicon.KEEP or stem_word(word) in self.vocabulary:
            return word
        return _closest(word, self.words)

    def roots(self, words: Sequence[str]) -> list[str]:
        corrected = [self.correct(word) for word in words]
        return stems(" ".join(corrected))

    def rank(self, roots: Sequence[str], kinds: Iterable[str] | None = None) -> list[tuple[float, int]]:
        if not roots or not self.docs:
            return []
        scores = self.retriever.get_scores(list(roots))
        wanted = set(kinds) if kinds else None
        ranked = [
            (float(score), i)
            for i, score in enumerate(scores)
            if score > 0 and (wanted is None or self.docs[i].source.kind in wanted)
        ]
        ranked.sort(key=lambda pair: (-pair[0], pair[1]))
        return ranked


@lru_cache(maxsize=4096)
def _closest_cached(word: str, words: tuple[str, ...]) -> str:
    match = difflib.get_close_matches(word, words, n=1, cutoff=0.8)
    return match[0] if match else word


def _closest(word: str, words: tuple[str, ...]) -> str:
    return _closest_cached(word, words)


# --- answering ------------------------------------------------------------------------------------------------

MIN_COVERAGE = 0.5  # share of the question's content words the best document must contain


def answer(
    question: str,
    kb: KnowledgeBase,
    *,
    cases: Sequence[CaseFacts] | None = None,
    signed_in: bool = False,
    sign_in_doc: Doc | None = None,
    serving: bool = False,
) -> Answer:
    """The answer to `question` from `kb` (and, for a signed-in citizen, their own `cases`; at a counter,
    `serving`, the served citizen's), or a hand-over."""
    words = tokens(question)
    if not words:
        return Answer(handover=True, reason="low_confidence", agency=kb.default_agency)
    if has_phrase(words, lexicon.DISTRESS):
        return Answer(handover=True, reason="distress", urgency="darurat", agency=kb.default_agency)
    if any(word in lexicon.ABUSE for word in words):
        return Answer(handover=True, reason="abuse", agency=kb.default_agency)
    if has_phrase(words, lexicon.HUMAN):
        return Answer(handover=True, reason="human", agency=kb.default_agency)

    intent = detect_intent(words)
    roots = kb.roots(words)
    content = [root for root in roots if root not in lexicon.QUESTION_ROOTS]
    ranked = kb.rank(content)

    if is_own_case(words, serving=serving):
        return _own_case(kb, ranked, cases, signed_in or serving, sign_in_doc)

    # A word naming another agency's service (passport, driving licence, ...) the catalog does not hold.
    foreign = [root for root in content if root in lexicon.OTHER_AGENCY_ROOTS]
    if not content and intent in lexicon.GENERIC_INTENTS:
        doc = kb.by_key.get(("procedure", lexicon.GENERIC_INTENTS[intent]))
        if doc is not None:
            return _compose(intent, doc, kb, confidence=1.0)
    if not ranked:
        reason = "other_agency" if foreign else "out_of_scope"
        return Answer(handover=True, reason=reason, intent=intent, agency=kb.default_agency)
    coverage, best = _best(kb, content, foreign, ranked)
    doc = kb.docs[best]
    core_roots = kb.core_roots[best]
    if coverage < MIN_COVERAGE:
        reason = "other_agency" if any(root not in core_roots for root in foreign) else "low_confidence"
        return Answer(
            handover=True,
            reason=reason,
            intent=intent,
            agency=doc.agency or kb.default_agency,
            service=doc.service,
            confidence=coverage,
        )
    doc = _prefer_for_intent(intent, doc, ranked, kb)
    return _compose(intent, doc, kb, confidence=coverage)


KIND_ORDER = {"service": 0, "procedure": 1, "register": 2, "rule": 3}


def coverage_of(kb: KnowledgeBase, i: int, content: Sequence[str], foreign: Sequence[str]) -> float:
    """The share of the question's content roots document `i` contains. A word naming another agency's service
    counts double unless a core text of the document has it: "akta nikah" is not "akta kelahiran"."""
    covered, core_roots, key_roots = kb.doc_roots[i], kb.core_roots[i], kb.key_roots[i]
    matched = [root for root in content if root in covered and root not in lexicon.GENERIC_ROOTS]
    if not any(root in key_roots for root in matched):
        return 0.0  # the question must name the thing: a word of its name, keywords or title
    weight = {
        root: (2.0 if root in foreign and root not in core_roots else 1.0)
        for root in content
        if root not in lexicon.GENERIC_ROOTS
    }
    total = sum(weight.values())
    hit = sum(weight[root] for root in matched if root not in foreign or root in core_roots)
    return hit / total if total else 0.0


def _best(
    kb: KnowledgeBase, content: Sequence[str], foreign: Sequence[str], ranked: list[tuple[float, int]]
) -> tuple[float, int]:
    """Among the ten best by BM25: the one covering most of the question, then services before procedures,
    register entries and single rules, then the BM25 score."""
    scored = [
        (coverage_of(kb, i, content, foreign), KIND_ORDER.get(kb.docs[i].source.kind, 9), score, i)
        for score, i in ranked[:10]
    ]
    coverage, _kind, _score, best = min(scored, key=lambda row: (-row[0], row[1], -row[2], row[3]))
    return coverage, best


def _prefer_for_intent(intent: str, doc: Doc, ranked: list[tuple[float, int]], kb: KnowledgeBase) -> Doc:
    """Questions about the rules or the algorithm go to the register entry of the service found; questions about
    hours or an address to its agency's contact entry."""
    service = doc.service
    if doc.source.kind == "procedure" and not doc.source.slug.startswith("kontak-"):
        generic = lexicon.GENERIC_INTENTS.get(intent)
        if intent in ("objection", "complaint", "deadline", "hours") and generic:
            return kb.by_key.get(("procedure", generic), doc)
    if intent == "rules" and service:
        return kb.by_key.get(("register", service), doc)
    if intent in ("hours", "contact") and doc.agency:
        return kb.by_key.get(("procedure", f"kontak-{doc.agency}"), doc)
    if doc.source.kind in ("rule", "register") and intent not in ("rules", "general") and service:
        return kb.by_key.get(("service", service), doc)
    return doc


class _Builder:
    def __init__(self) -> None:
        self.sentences: list[Sentence] = []
        self.sources: list[Source] = []

    def cite(self, source: Source) -> int:
        if source not in self.sources:
            self.sources.append(source)
        return self.sources.index(source)

    def say(self, doc_or_source: Doc | CaseFacts, template: str, **paths: str) -> None:
        fields = doc_or_source.fields
        slots = []
        for slot, path in paths.items():
            value = field_value(fields, path)
            if value == "":
                return  # an empty field: the sentence would say nothing the source says
            slots.append((slot, path, value))
        if (
            template in COUNTED
            and dict((slot, value) for slot, _path, value in slots).get(COUNTED[template]) == "1"
        ):
            template = f"{template}_one"
        self.sentences.append(Sentence(template, tuple(slots), self.cite(doc_or_source.source)))

    def items(
        self, doc: Doc | CaseFacts, field_name: str, template: str = "item", slot: str = "item"
    ) -> None:
        for i, _value in enumerate(doc.fields.get(field_name) or ()):
            if template == "step":
                self.say_step(doc, field_name, i)
            else:
                self.say(doc, template, **{slot: f"{field_name}.{i}"})

    def say_step(self, doc: Doc, field_name: str, i: int) -> None:
        value = field_value(doc.fields, f"{field_name}.{i}")
        number = str(i + 1)
        # The step number is the position in the source's own list, which is what it states.
        self.sentences.append(
            Sentence(
                "step",
                (("n", f"{field_name}_numbers.{i}", number), ("step", f"{field_name}.{i}", value)),
                self.cite(doc.source),
            )
        )

    def answer(self, **kwargs: Any) -> Answer:
        return Answer(sentences=tuple(self.sentences), sources=tuple(self.sources), **kwargs)


def _compose(intent: str, doc: Doc, kb: KnowledgeBase, *, confidence: float) -> Answer:
    out = _Builder()
    kind = doc.source.kind
    if kind == "service":
        _service_answer(out, intent, doc, kb)
    elif kind == "register":
        out.say(doc, "rules_head", name="name", version="version")
        for i, _rule in enumerate(doc.fields.get("rule_titles") or ()):
            out.say(doc, "rule", title=f"rule_titles.{i}", failed_hint=f"rule_hints.{i}")
        out.say(doc, "automated", automated_text="automated_text")
        out.say(doc, "more", url="url")
    elif kind == "rule":
        out.say(doc, "text", text="title")
        out.say(doc, "text", text="explanation")
        service = kb.by_key.get(("register", doc.service))
        if service is not None:
            out.say(service, "more", url="url")
    else:  # procedure: help texts, contact and opening hours
        _procedure_answer(out, doc)
    return out.answer(intent=intent, agency=doc.agency or kb.default_agency, confidence=confidence)


def _procedure_answer(out: _Builder, doc: Doc) -> None:
    if "address" in doc.fields:
        out.say(doc, "contact_head", name="name")
        out.say(doc, "hours", hours="hours")
        out.say(doc, "address", address="address")
        out.say(doc, "phone", phone="phone")
    else:
        for i, _text in enumerate(doc.fields.get("texts") or ()):
            out.say(doc, "text", text=f"texts.{i}")
    out.say(doc, "more", url="url")


def _service_answer(out: _Builder, intent: str, doc: Doc, kb: KnowledgeBase) -> None:
    # The short direct answer first, then the details that usually matter next, then the link.
    if intent == "requirements":
        out.say(doc, "requirements_head", name="name")
        out.items(doc, "requirements")
        out.say(doc, "time", name="name", completion_days="completion_days")
        out.say(doc, "fee", name="name", fee_text="fee_text")
    elif intent == "fee":
        out.say(doc, "fee", name="name", fee_text="fee_text")
        out.say(doc, "fee_note", fee_note="fee_note")
    elif intent == "time":
        out.say(doc, "time", name="name", completion_days="completion_days")
        out.say(doc, "guarantee", service_guarantee="service_guarantee")
    elif intent == "procedure":
        out.say(doc, "procedure_head", name="name")
        out.items(doc, "procedure", template="step")
        out.say(doc, "requirements_head", name="name")
        out.items(doc, "requirements")
    elif intent == "legal":
        out.say(doc, "legal_head", name="name")
        out.items(doc, "legal_basis")
    elif intent == "complaint":
        out.say(doc, "complaint", name="name", complaint_handling="complaint_handling")
    elif intent == "objection":
        out.say(doc, "objection_days", name="name", objection_days="objection_days")
        out.say(doc, "appeal_days", appeal_days="appeal_days")
        help_doc = kb.by_key.get(("procedure", "keberatan"))
        if help_doc is not None:
            _procedure_answer(out, help_doc)
    elif intent == "deadline":
        out.say(doc, "decision_days", name="name", decision_days="decision_days")
        out.say(doc, "time", name="name", completion_days="completion_days")
    elif intent in ("hours", "contact"):
        out.say(doc, "agency", agency_name="agency_name")
    elif intent == "where":
        out.say(doc, "agency", agency_name="agency_name")
        out.say(doc, "summary", summary="summary")
        out.say(doc, "requirements_head", name="name")
        out.items(doc, "requirements")
    elif intent == "product":
        out.say(doc, "product", product="product")
    else:
        out.say(doc, "summary", summary="summary")
        out.say(doc, "requirements_head", name="name")
        out.items(doc, "requirements")
        out.say(doc, "time", name="name", completion_days="completion_days")
        out.say(doc, "fee", name="name", fee_text="fee_text")
    out.say(doc, "more", url="url")


def _own_case(
    kb: KnowledgeBase,
    ranked: list[tuple[float, int]],
    cases: Sequence[CaseFacts] | None,
    signed_in: bool,
    sign_in_doc: Doc | None,
) -> Answer:
    out = _Builder()
    if not signed_in:
        if sign_in_doc is None:
            return Answer(handover=True, reason="low_confidence", intent="own_case", agency=kb.default_agency)
        for i, _text in enumerate(sign_in_doc.fields["texts"]):
            out.say(sign_in_doc, "sign_in", text=f"texts.{i}")
        out.say(sign_in_doc, "more", url="url")
        return out.answer(intent="own_case", agency=kb.default_agency, confidence=1.0)
    services = [kb.docs[i].service for _score, i in ranked if kb.docs[i].service]
    cases = list(cases or ())
    chosen: CaseFacts | None = None
    if services:
        mine = [case for case in cases if case.service == services[0]]
        chosen = mine[0] if mine else None
        if chosen is None:
            service_doc = kb.by_key.get(("service", services[0]))
            if service_doc is not None:
                out.say(service_doc, "case_none", service_name="name")
                out.say(service_doc, "more", url="url")
                return out.answer(intent="own_case", agency=service_doc.agency, confidence=1.0)
    elif cases:
        chosen = cases[0]  # the latest application
    if chosen is None:
        return Answer(handover=True, reason="low_confidence", intent="own_case", agency=kb.default_agency)
    fields = chosen.fields
    if fields.get("proposal"):
        out.say(
            chosen,
            "case_proposed",
            service_name="service_name",
            reference="reference",
            decision_due="decision_due",
        )
    elif fields.get("status") == "denied":
        out.say(chosen, "case_denied", service_name="service_name", reference="reference")
    else:
        out.say(
            chosen,
            "case_status",
            service_name="service_name",
            reference="reference",
            status_text="status_text",
        )
    if fields.get("failed_reasons"):
        out.say(chosen, "case_reasons_head")
        out.items(chosen, "failed_reasons")
    out.say(chosen, "case_officer_reasons", officer_reasons="officer_reasons")
    if fields.get("objection_until"):
        out.say(chosen, "case_objection", objection_until="objection_until", objection_url="objection_url")
    for i, _step in enumerate(fields.get("next_steps") or ()):
        out.say(chosen, "case_step", step=f"next_steps.{i}")
    out.say(chosen, "more", url="url")
    return out.answer(intent="own_case", agency=fields.get("agency", ""), confidence=1.0)
