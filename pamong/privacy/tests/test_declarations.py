"""Every model that holds personal data is declared by its module's personal_data.py, and the coordinator runs
export, retention and erasure over all declarations."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from pamong.accounts.models import AccessLog, LoginCode, User
from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.cases.models import Application
from pamong.core.fields import EncryptedDateField, EncryptedFloatField, EncryptedJSONField, EncryptedTextField
from pamong.core.personal_data import declarations
from pamong.notify.models import Notification, Preference
from pamong.privacy.services import erase_personal_data, export_personal_data

ENCRYPTED = (EncryptedTextField, EncryptedDateField, EncryptedFloatField, EncryptedJSONField)


def holds_personal_data(model: type[models.Model]) -> bool:
    """An encrypted field, or a link to a person's account."""
    for model_field in model._meta.get_fields():
        if isinstance(model_field, ENCRYPTED):
            return True
        related = model_field.related_model if model_field.is_relation and model_field.concrete else None
        if related is not None and related._meta.label == settings.AUTH_USER_MODEL:
            return True
    return model._meta.label == settings.AUTH_USER_MODEL


def test_every_model_with_personal_data_is_declared():
    declared = {label for declaration in declarations() for label in declaration.models}
    holding = {model._meta.label for model in apps.get_models() if holds_personal_data(model)}
    assert holding, "the walk found no model at all: the detection is broken"
    assert holding - declared == set(), "models with personal data that no personal_data.py declares"
    assert declared - {model._meta.label for model in apps.get_models()} == set(), (
        "declared models that do not exist"
    )


def test_the_walk_catches_an_undeclared_model():
    # A model the walk has never seen, with an encrypted field and a link to an account: it must count.
    class Diary(models.Model):
        note = EncryptedTextField()
        owner = models.ForeignKey(User, on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return "diary"

    try:
        assert holds_personal_data(Diary)
        declared = {label for declaration in declarations() for label in declaration.models}
        assert Diary._meta.label not in declared
    finally:
        apps.all_models["privacy"].pop("diary", None)
        apps.clear_cache()


def test_every_app_module_with_personal_data_has_one_declaration():
    modules = {declaration.module for declaration in declarations()}
    assert {"accounts", "cases", "notify", "registry", "oversight", "audit"} <= modules


@pytest.mark.django_db
def test_erasure_clears_a_finished_applicants_data_and_keeps_the_decision_record(world):
    application, _ = cases.submit_application(
        actor=world.warga,
        service=world.bansos,
        applicant=world.warga,
        form=dict(world.forms[world.niks.WARGA_NIK]),
    )
    assert application.status == "granted"
    Preference.objects.create(user=world.warga, channels=["email"], phone="081234567890")
    entries = AuditEntry.objects.count()
    counts = erase_personal_data(world.warga, actor="system:test", reason="permintaan penghapusan oleh warga")
    assert counts["applications_cleared"] == 1
    assert counts["notifications_deleted"] >= 1 and counts["preferences_deleted"] == 1
    application.refresh_from_db()
    assert (application.form_data, application.statement, application.status) == ({}, "", "granted")
    assert application.decisions.get().outcome == "GRANT"  # the decision record stays
    person = User.objects.get(pk=world.warga.pk)
    assert (person.nik, person.nik_index, person.get_full_name(), person.is_active) == (None, None, "", False)
    assert not Notification.objects.filter(recipient=person).exists()
    assert AuditEntry.objects.count() == entries + 1
    assert AuditEntry.objects.order_by("-index").first().action == "accounts.personal_data_erased"
    exported = export_personal_data(person)
    assert exported["account"]["nik"] is None and exported["applications"][0]["form"] == {}


@pytest.mark.django_db
def test_the_export_gathers_every_modules_section(world):
    cases.submit_application(
        actor=world.warga,
        service=world.bansos,
        applicant=world.warga,
        form=dict(world.forms[world.niks.WARGA_NIK]),
    )
    exported = export_personal_data(world.warga)
    assert set(exported) == {
        "format",
        "account",
        "access_log",
        "applications",
        "complaints",
        "notification_preference",
        "notifications",
        "letters",
        "letter_language",
        "vault",
        "vault_consents",
    }
    assert exported["account"]["nik"] == world.niks.WARGA_NIK
    assert [a["service"] for a in exported["applications"]] == ["bansos-pkh"]
    assert AccessLog.objects.count() == 0 and LoginCode.objects.count() == 0  # reading changed nothing
    assert Application.objects.count() == 1
