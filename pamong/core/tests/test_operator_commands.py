"""The operator's commands in-process: a group alone prints its subcommands, `pamong packs load` validates first,
`pamong setup` makes the first administrator who chooses a password with a one-time link (audited)."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pamong import cli
from pamong.accounts.models import User
from pamong.audit.models import AuditEntry
from pamong.catalog.models import Agency, Service
from pamong.core.testing.servers import shared_static_root


@pytest.mark.parametrize("group", sorted(cli.TWO_WORD_GROUPS))
def test_a_group_alone_prints_its_subcommands(group, capsys):
    cli.main([group])
    out = capsys.readouterr().out
    assert out.startswith(f"pamong {group} <subcommand>")
    assert len(re.findall(rf"^  pamong {group} \w+", out, re.MULTILINE)) >= 1
    assert "Unknown command" not in out


def test_packs_group_lists_check_and_load(capsys):
    cli.main(["packs", "--help"])
    out = capsys.readouterr().out
    assert re.search(r"^  pamong packs check ", out, re.MULTILINE)
    assert re.search(r"^  pamong packs load ", out, re.MULTILINE)


@pytest.mark.django_db
def test_packs_load_with_a_problem_loads_nothing_and_names_file_line_and_field(packs_root, tmp_path):
    broken = tmp_path / "packs"
    shutil.copytree(packs_root, broken)
    service = broken / "sktm" / "service.yaml"
    service.write_text(service.read_text().replace("completion_days:", "completion_hari:", 1))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("packs_load", str(broken), stderr=errors)
    assert re.search(r"sktm/service\.yaml:\d+: completion_hari", errors.getvalue())
    assert (Agency.objects.count(), Service.objects.count()) == (0, 0)

    out = io.StringIO()
    call_command("packs_load", str(packs_root), stdout=out)
    assert Service.objects.count() == 6 and "services created 6" in out.getvalue()
    call_command("packs_load", str(packs_root), stdout=out)
    assert "created 0, updated 0, unchanged 6" in out.getvalue()


@pytest.mark.django_db
def test_setup_makes_an_administrator_who_sets_a_password_once(packs_root, settings, tmp_path, client):
    # The static files as collected before, less one: setup collects it again and compresses it.
    static = shutil.copytree(
        shared_static_root(), tmp_path / "static", ignore=shutil.ignore_patterns(".lock")
    )
    for path in (static / "admin" / "css").glob("base.css*"):
        path.unlink()
    settings.STATIC_ROOT = static
    out = io.StringIO()
    call_command(
        "setup",
        "--packs",
        str(packs_root),
        "--admin",
        "admin-dinsos",
        "--admin-agency",
        "dinsos-kota-bandung",
        stdout=out,
    )
    assert (static / "admin" / "css" / "base.css.br").exists()
    assert Service.objects.count() == 6
    admin = User.objects.get(username="admin-dinsos")
    assert not admin.has_usable_password() and admin.agency.slug == "dinsos-kota-bandung"
    assert admin.groups.filter(name="admin_instansi").exists()
    link = re.search(r"(/masuk/atur-sandi/\S+/)", out.getvalue()).group(1)

    # A second run changes nothing and prints no link.
    again = io.StringIO()
    call_command(
        "setup",
        "--packs",
        str(packs_root),
        "--admin",
        "admin-dinsos",
        "--admin-agency",
        "dinsos-kota-bandung",
        stdout=again,
    )
    assert "exists already" in again.getvalue() and "/masuk/atur-sandi/" not in again.getvalue()
    assert User.objects.filter(username="admin-dinsos").count() == 1

    form = client.get(link)
    assert form.status_code == 302
    page = client.get(form["Location"])
    assert page.status_code == 200 and "Pilih kata sandi Anda" in page.content.decode()
    password = "kata-sandi-admin-yang-panjang-2026"
    done = client.post(form["Location"], {"new_password1": password, "new_password2": password})
    assert (done.status_code, done["Location"]) == (302, "/masuk/")
    admin.refresh_from_db()
    assert admin.check_password(password)
    actions = list(
        AuditEntry.objects.filter(subject=f"accounts.user:{admin.pk}")
        .order_by("index")
        .values_list("action", flat=True)
    )
    assert actions[0] == "accounts.account_created" and actions[-1] == "accounts.account_claimed"
    # Used: the link no longer shows the form.
    assert 'name="new_password1"' not in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_setup_names_an_unknown_agency(packs_root, settings):
    settings.STATIC_ROOT = shared_static_root()
    with pytest.raises(CommandError, match=r"--admin-agency dinas-tidak-ada: no such agency \(known: "):
        call_command(
            "setup",
            "--packs",
            str(packs_root),
            "--admin",
            "x",
            "--admin-agency",
            "dinas-tidak-ada",
            stdout=io.StringIO(),
        )
    assert not User.objects.filter(username="x").exists()
