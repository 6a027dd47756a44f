"""Issue 13: a rule version loaded from a service's pack after installation takes effect only after the same
four-eyes approval as a sandbox draft: proposed by one person, approved by a supervisor who is not that person,
published; audited at every step; the pages work without JavaScript."""

from __future__ import annotations

import shutil

import pytest
from django.utils import timezone

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.audit.models import AuditEntry
from pamong.cases import rulebook
from pamong.catalog import services as catalog
from pamong.catalog.models import PackRuleVersion
from pamong.catalog.packs import PackInvalid
from pamong.oversight import register
from pamong.oversight.models import RuleSetDraft

from .test_sandbox import stricter_draft

pytestmark = pytest.mark.django_db
NEW_FILE = "bansos-pkh/rules/2026-12.yaml"


def pack_with_new_version(tmp_path, packs_root, settings):
    """The world's packs copied, with one new bansos version (effective today) written into the pack, made the
    packs the decision path reads. Call `rulebook.pack_rule_sets.cache_clear()` after the test."""
    copy = tmp_path / "packs"
    shutil.copytree(packs_root, copy)
    (copy / NEW_FILE).write_text(
        stricter_draft(packs_root, "2026-12", timezone.localdate()), encoding="utf-8"
    )
    settings.PACKS_DIR = copy
    rulebook.pack_rule_sets.cache_clear()
    return copy


@pytest.fixture
def packs_copy(world, tmp_path, packs_root, settings):
    yield pack_with_new_version(tmp_path, packs_root, settings)
    rulebook.pack_rule_sets.cache_clear()  # the next test reads the real packs again


@pytest.fixture
def supervisor2(world):
    return accounts.create_account(
        actor="system:test",
        username="supervisor2",
        password=None,
        role=roles.SUPERVISOR,
        agency=world.bansos.agency,
    )


def test_a_new_pack_version_waits_for_a_second_person_and_then_takes_effect(
    world, packs_copy, supervisor2, client_for
):
    today = timezone.localdate()
    report = catalog.load_packs(root=packs_copy, actor="system:packs_load")

    # Loaded, but not in force: the file is in the pack, the decision path does not read it.
    assert report.pending_rules == ["bansos-pkh 2026-12"]
    row = PackRuleVersion.objects.get(service=world.bansos, version_id="2026-12")
    assert row.status == "pending" and row.file_name == "2026-12.yaml"
    assert rulebook.rule_set_in_force("bansos-pkh", today).version_id == "2026-07"
    loaded = AuditEntry.objects.get(
        action="catalog.rule_version_loaded", subject="rules.rule_set:bansos-pkh:2026-12"
    )
    assert loaded.data["status"] == "pending"
    # Loading again changes nothing and still reports it waiting.
    assert catalog.load_packs(root=packs_copy).pending_rules == ["bansos-pkh 2026-12"]

    # The supervisor sees it on the sandbox page (no JavaScript: a plain form) and proposes it: its author.
    author = client_for(world.supervisor)
    page = author.get("/pengawasan/sandbox/?layanan=bansos-pkh").content.decode()
    assert "Versi paket menunggu penyetuju kedua" in page and 'name="pack_version" value="2026-12"' in page
    response = author.post("/pengawasan/sandbox/", {"layanan": "bansos-pkh", "pack_version": "2026-12"})
    draft = RuleSetDraft.objects.get(service=world.bansos, version_id="2026-12")
    assert response.status_code == 302 and response["Location"] == f"/pengawasan/sandbox/{draft.pk}/"
    assert (draft.origin, draft.created_by, draft.status) == ("pack", world.supervisor, "draft")
    assert AuditEntry.objects.get(action="rules.draft_created").data["origin"] == "pack"

    # The author cannot approve their own proposal, on the page or otherwise.
    refused = author.post(
        f"/pengawasan/sandbox/{draft.pk}/", {"action": "setujui", "effective_from": today.isoformat()}
    )
    assert refused.status_code == 403
    assert "empat mata" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and not AuditEntry.objects.filter(action="rules.draft_approved").exists()
    assert rulebook.rule_set_in_force("bansos-pkh", today).version_id == "2026-07"

    # A second supervisor approves after the simulation; the author publishes.
    second = client_for(supervisor2)
    assert "2026-12" in second.get("/pengawasan/sandbox/").content.decode()  # in their "awaiting" list
    second.post(
        f"/pengawasan/sandbox/{draft.pk}/", {"action": "setujui", "effective_from": today.isoformat()}
    )
    author.post(f"/pengawasan/sandbox/{draft.pk}/", {"action": "publikasikan"})
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == ("published", supervisor2)
    assert rulebook.rule_set_in_force("bansos-pkh", today).version_id == "2026-12"
    row.refresh_from_db()
    assert row.status == "approved" and row.approved_at is not None
    published = AuditEntry.objects.get(action="rules.rule_set_published")
    assert published.data["source"] == "pack"
    assert (published.data["author"], published.data["approved_by"]) == (world.supervisor.pk, supervisor2.pk)
    newest = register.register_entry("bansos-pkh")["versions"][0]
    assert (newest["version"], newest["origin"], newest["four_eyes"]) == ("2026-12", "pack", True)
    assert newest["approved_by"] == supervisor2.get_full_name() or supervisor2.username
    # Proposed once only; the pending list is empty now.
    assert (
        "Versi paket menunggu" not in author.get("/pengawasan/sandbox/?layanan=bansos-pkh").content.decode()
    )


def test_a_version_that_took_effect_cannot_be_edited_in_the_pack(world, packs_copy):
    (packs_copy / NEW_FILE).unlink()
    in_force = packs_copy / "bansos-pkh/rules/2026-07.yaml"
    in_force.write_text(
        in_force.read_text(encoding="utf-8").replace(
            "regional_poverty_line * 12", "regional_poverty_line * 13"
        ),
        encoding="utf-8",
    )
    before = AuditEntry.objects.count()
    with pytest.raises(PackInvalid) as refused:
        catalog.load_packs(root=packs_copy)
    [problem] = refused.value.problems
    assert str(problem).startswith(
        "packs/bansos-pkh/rules/2026-07.yaml:1: version: version '2026-07' already"
    )
    assert "a rule version is never edited" in str(problem)
    assert AuditEntry.objects.count() == before  # nothing of the load was kept
    assert PackRuleVersion.objects.get(service=world.bansos, version_id="2026-07").status == "baseline"


def test_an_analyst_may_propose_but_only_a_pending_version(world, packs_copy, client_for):
    catalog.load_packs(root=packs_copy)
    analyst = accounts.create_account(
        actor="system:test", username="analis", password=None, role=roles.ANALIS, agency=world.bansos.agency
    )
    client = client_for(analyst)
    unknown = client.post("/pengawasan/sandbox/", {"layanan": "bansos-pkh", "pack_version": "2026-07"})
    assert unknown.status_code == 422 and "2026-07" in unknown.content.decode()
    assert not RuleSetDraft.objects.exists()
    # A citizen or an officer of another agency does not even see the page.
    assert client_for(world.warga).get("/pengawasan/sandbox/?layanan=bansos-pkh").status_code == 404


def test_packs_load_says_which_versions_wait(world, packs_copy):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("packs_load", str(packs_copy), stdout=out)
    assert "Rule versions waiting for a second approver (not in force): bansos-pkh 2026-12." in out.getvalue()
