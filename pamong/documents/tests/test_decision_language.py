"""A decision's page in the reader's language, its letter in Bahasa Indonesia (issue 20 point 3; UU 24/2009
Art. 27, docs/ARCHITECTURE.md): the citizen's and the officer's case pages name each rule by its title in the
reader's language (the rule's English title when the rules give one, else the title stored with the decision),
and an English page that links to the letter says the letter is in Bahasa Indonesia. The letter quotes the
stored Indonesian titles whatever the page's language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.cases.models import Application
from pamong.documents import services
from pamong.documents.models import Letter
from pamong.oversight.tests.test_rule_titles import (
    RULE,
    TITLE_EN,
    TITLE_ID,
    in_force_text,
    published,
    visible,
)

from .conftest import apply_pkh

pytestmark = pytest.mark.django_db
SAYS_INDONESIAN = "Letters are in Bahasa Indonesia, the language of official documents"


def read(user, path: str, language: str) -> str:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    return visible(response.content.decode())


@pytest.fixture
def granted(world, client_for, run_jobs):
    """Bansos PKH granted with its letter issued, then a version of the rules that gives RULE an English title."""
    with run_jobs():
        body = apply_pkh(client_for(world.warga), world, world.niks.WARGA_NIK)
    application = Application.objects.get(pk=body["id"])
    assert application.status == "granted" and Letter.objects.get(application=application).status == "valid"
    analyst = accounts.create_account(
        actor="system:test",
        username="analis-en",
        password=None,
        role=roles.ANALIS,
        agency=world.bansos.agency,
    )
    since = timezone.localdate()
    text = in_force_text("2099-en", since).replace(
        f"    title: {TITLE_ID}\n", f"    title: {TITLE_ID}\n    title_en: {TITLE_EN}\n"
    )
    published(world, analyst, text, since)
    return application


@pytest.mark.parametrize("who", ["citizen", "officer"])
def test_the_case_page_names_each_rule_in_the_readers_language(world, granted, who):
    user, path = (
        (world.warga, f"/permohonan/{granted.pk}/")
        if who == "citizen"
        else (world.petugas, f"/petugas/permohonan/{granted.pk}/")
    )
    stored = [r for r in granted.decisions.get(final=True).evaluation["rules"] if r["rule_id"] == RULE]
    assert stored and stored[0]["title"] == TITLE_ID  # the decision keeps the title it was taken under
    english, indonesian = read(user, path, "en"), read(user, path, "id")
    assert TITLE_EN in english and TITLE_ID not in english
    assert TITLE_ID in indonesian and TITLE_EN not in indonesian
    assert SAYS_INDONESIAN in english and "Law 24/2009, Article 27" in english
    assert SAYS_INDONESIAN not in indonesian and "UU 24/2009" not in indonesian


def test_my_documents_in_english_says_the_letters_are_in_bahasa_indonesia(world, granted):
    assert SAYS_INDONESIAN in read(world.warga, "/akun/dokumen/", "en")
    assert SAYS_INDONESIAN not in read(world.warga, "/akun/dokumen/", "id")


def test_the_letter_quotes_the_stored_indonesian_title(world, granted):
    letter = Letter.objects.get(application=granted)
    (context,) = services.letter_contexts(letter, number=letter.number, issued_at=letter.issued_at)
    assert context["language"] == "id"
    assert any(rule["title"] == TITLE_ID for rule in context["rules"])


def test_the_api_names_each_rule_in_the_requests_language(world, granted):
    titles = {}
    for language in ("en", "id"):
        client = Client()
        client.force_login(world.warga)
        answer = client.get(f"/api/v1/applications/{granted.pk}", HTTP_ACCEPT_LANGUAGE=language)
        assert answer.status_code == 200
        titles[language] = {r["rule_id"]: r["title"] for r in answer.json()["decision"]["rules"]}
    assert titles["en"][RULE] == TITLE_EN and titles["id"][RULE] == TITLE_ID
