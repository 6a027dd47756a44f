"""Oversight pages name a rule by its title in the reader's language, never by its identifier (issue 20 point 3):
the dashboard (its open breakers, failures per rule, recent breakers, the rule picker), a breaker's page, the live
fragment and the officers' flags. The identifier stays where code reads it (option values, data-rule, the API)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.cases import rulebook
from pamong.cases import services as cases
from pamong.oversight import services
from pamong.oversight.models import CircuitBreaker, RuleSetDraft
from pamong.rules import load_rule_set_text

pytestmark = pytest.mark.django_db

RULE = "income_below_poverty_line"
TITLE_ID = "Penghasilan per kapita tidak melebihi 120% garis kemiskinan"  # bansos-pkh 2026-07, in force
TITLE_EN = "Income per person at most 120% of the poverty line"


def visible(html: str) -> str:
    """What a person reads: no scripts, styles, tags or attributes; runs of space as one."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def analyst(world):
    return accounts.create_account(
        actor="system:test", username="analis", password=None, role=roles.ANALIS, agency=world.bansos.agency
    )


@pytest.fixture
def watched(world, analyst):
    """Per-rule tallies (three applications decided), an officer's flag and an open breaker on RULE."""
    for user in (world.warga, world.denied, world.refer):
        application, _ = cases.submit_application(
            actor=user, service=world.bansos, applicant=user, form=world.forms[user.nik]
        )
    cases.flag_rule(application, actor=world.petugas, rule_id=RULE, reason="Garis kemiskinan tampak usang.")
    return services.open_breaker(
        world.bansos, rule_id=RULE, region_code="3204", actor=analyst, reason="Peta kemiskinan diperiksa."
    )


@pytest.fixture
def english_titles(world, analyst):
    """A published version (in force since yesterday) whose rule carries an English title."""
    since = timezone.localdate() - dt.timedelta(days=1)
    text = in_force_text("2099-en", since).replace(
        f"    title: {TITLE_ID}\n", f"    title: {TITLE_ID}\n    title_en: {TITLE_EN}\n"
    )
    assert "title_en" in text
    published(world, analyst, text, since)


def in_force_text(version: str, since: dt.date) -> str:
    """bansos-pkh's rules in force (2026-07) as a new version in force since ``since``."""
    text = (Path(settings.PACKS_DIR) / "bansos-pkh" / "rules" / "2026-07.yaml").read_text(encoding="utf-8")
    return text.replace("version: 2026-07", f"version: {version}").replace(
        "effective_from: 2026-07-01", f"effective_from: {since.isoformat()}"
    )


def published(world, analyst, text: str, since: dt.date) -> None:
    """A version published after four eyes (its row as sandbox.publish_draft leaves it)."""
    rule_set = load_rule_set_text(text)
    RuleSetDraft.objects.create(
        service=world.bansos,
        version_id=rule_set.version_id,
        yaml_text=text,
        content_hash=rule_set.content_hash,
        status=RuleSetDraft.Status.PUBLISHED,
        created_by=analyst,
        created_at=timezone.now(),
        effective_from=since,
        published_at=timezone.now(),
    )


def page(user, path: str, language: str) -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Language"] == language
    return response.content.decode()


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_dashboard_names_rules_by_title_in_every_part(analyst, watched, language):
    html = page(analyst, "/pengawasan/?layanan=bansos-pkh", language)
    text = visible(html)
    assert RULE not in text
    # the open breakers, the failures table, the recent breakers and the officers' flags: four times by title
    assert text.count(TITLE_ID) >= 4
    assert f'<tr data-rule="{RULE}"><td data-label="' in html  # the failures table's row, by title
    assert f'<option value="{RULE}">{TITLE_ID}</option>' in html  # the picker posts the id, shows the title
    flags = html.split('id="voice-title"')[1]
    assert f'<li data-rule="{RULE}">{TITLE_ID}: 1</li>' in flags
    chart = html.split('id="gagal-aturan-t"')[1].split("</svg>")[0]
    assert TITLE_ID in chart and RULE not in chart  # the chart's labels and description too


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_live_fragment_names_rules_by_title(analyst, watched, language):
    html = page(analyst, "/pengawasan/?layanan=bansos-pkh&bagian=data", language)
    assert "<html" not in html
    assert RULE not in visible(html) and visible(html).count(TITLE_ID) >= 3
    assert f'data-rule="{RULE}"' in html


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_breaker_page_is_titled_by_its_rule(analyst, watched, language):
    html = page(analyst, f"/pengawasan/pemutus/{watched.pk}/", language)
    assert RULE not in visible(html)
    assert re.search(rf"<title>[^<]*: {re.escape(TITLE_ID)}", html)
    assert re.search(rf'<h1 data-rule="{RULE}">[^<]*: {re.escape(TITLE_ID)}</h1>', html)


def test_english_pages_show_the_english_title_when_the_rules_give_one(analyst, watched, english_titles):
    english = visible(page(analyst, "/pengawasan/?layanan=bansos-pkh", "en"))
    assert english.count(TITLE_EN) >= 4 and TITLE_ID not in english and RULE not in english
    breaker = visible(page(analyst, f"/pengawasan/pemutus/{watched.pk}/", "en"))
    assert f"Circuit breaker: {TITLE_EN}" in breaker
    indonesian = visible(page(analyst, "/pengawasan/?layanan=bansos-pkh", "id"))
    assert indonesian.count(TITLE_ID) >= 4 and TITLE_EN not in indonesian
    register = visible(page(analyst, "/algoritma/bansos-pkh/", "en"))  # the public register reads the same
    assert TITLE_EN in register and TITLE_ID not in register


def test_a_rule_gone_from_the_version_in_force_keeps_the_title_of_its_version(world, analyst):
    """A published version renames the rule: the old id is still titled as in the version it came from; an id no
    version knows is shown in words and marked, never bare."""
    since = timezone.localdate() - dt.timedelta(days=1)
    text = (
        in_force_text("2099-renamed", since)
        .replace(f"id: {RULE}", "id: income_within_the_line")
        .replace(f"title: {TITLE_ID}", "title: Penghasilan dalam batas garis kemiskinan")
    )
    published(world, analyst, text, since)
    assert RULE not in {
        rule.id for rule in rulebook.rule_set_in_force("bansos-pkh", timezone.localdate()).rules
    }
    with translation.override("id"):
        titles = rulebook.rule_titles("bansos-pkh")
        assert titles[RULE] == TITLE_ID
        assert titles["income_within_the_line"] == "Penghasilan dalam batas garis kemiskinan"
        assert titles["no_longer_anywhere"] == "No longer anywhere (tanpa judul dalam aturan)"
    with translation.override("en"):
        assert rulebook.rule_titles("bansos-pkh")["no_longer_anywhere"] == (
            "No longer anywhere (no title in the rules)"
        )
    CircuitBreaker.objects.create(
        service=world.bansos, rule_id="no_longer_anywhere", opened_at=timezone.now(), reason="Uji."
    )
    html = page(analyst, "/pengawasan/?layanan=bansos-pkh", "id")
    assert "no_longer_anywhere" not in visible(html) and "No longer anywhere (tanpa judul" in visible(html)


def test_the_charts_and_the_fairness_page_speak_the_readers_language(analyst, watched):
    """The words the dashboard's charts and the fairness page write themselves follow the page's language."""
    english = visible(page(analyst, "/pengawasan/?layanan=bansos-pkh", "en"))
    indonesian = visible(page(analyst, "/pengawasan/?layanan=bansos-pkh", "id"))
    assert re.search(r"Rule outcomes per day, last \d+ days", english)
    assert "Refusal rate per region" in english and re.search(r"\d+% refused of \d+", english)
    assert "ditolak dari" not in english and "Hasil aturan per hari" not in english
    assert re.search(r"Hasil aturan per hari, \d+ hari terakhir", indonesian)
    assert "Tingkat penolakan per wilayah" in indonesian and re.search(r"ditolak dari \d+", indonesian)

    english = visible(page(analyst, "/pengawasan/keadilan/?layanan=bansos-pkh", "en"))
    indonesian = visible(page(analyst, "/pengawasan/keadilan/?layanan=bansos-pkh", "id"))
    assert "Grant rate by region (regency/city)" in english and "claimed values" in english
    assert "Tingkat dikabulkan menurut" not in english and "diklaim" not in english
    assert "Tingkat dikabulkan menurut wilayah (kabupaten/kota)" in indonesian and "diklaim" in indonesian
