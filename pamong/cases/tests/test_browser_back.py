"""Issue 15: submit, press Back, submit again: one application. The form's idempotency key is the one the server
issued for this person's form (kept in the session), so the page the browser shows after Back, or after a
reload, carries the same key, and sending it again replays the first application."""

from __future__ import annotations

import pytest

from pamong.cases.models import Application
from pamong.core.testing.browser import chromium
from pamong.registry.demo import DEMO_BANSOS_FORMS, WARGA_NIK
from pamong.site.demo import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def fill_bansos(page, form: dict) -> None:
    page.get_by_label("Kota Bandung", exact=True).check()
    page.get_by_label("Jumlah anggota keluarga").fill(str(form["household_size"]))
    page.get_by_label("Penghasilan keluarga per bulan (rupiah)").fill(str(form["household_income"]))
    page.get_by_label("Perkiraan nilai aset keluarga (rupiah)").fill(str(form["assets_value"]))
    page.locator("#f-has_pkh_component-1").check()


def test_back_and_resubmit_makes_one_application(live_server, transactional_db, packs_root):
    load_demo(packs_root=packs_root)  # before Playwright: Django refuses ORM calls beside its event loop
    before = Application.objects.count()
    form = DEMO_BANSOS_FORMS[WARGA_NIK]
    with chromium() as browser:
        context = browser.new_context(java_script_enabled=False, locale="id-ID")
        page = context.new_page()
        page.goto(f"{live_server.url}/masuk/?next=/layanan/bansos-pkh/ajukan/")
        page.get_by_label("NIK atau nama pengguna").fill("warga")
        page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        apply_url = f"{live_server.url}/layanan/bansos-pkh/ajukan/"
        assert page.url == apply_url
        issued = page.locator("input[name=idempotency_key]").input_value()
        fill_bansos(page, form)
        page.get_by_role("button", name="Kirim permohonan").click()
        first_status = page.url
        assert "/permohonan/" in first_status

        # Back to the form: the key is still the one the server issued, even when the page is fetched again.
        page.go_back()
        assert page.locator("input[name=idempotency_key]").input_value() == issued
        page.goto(apply_url)
        assert page.locator("input[name=idempotency_key]").input_value() == issued
        fill_bansos(page, form)
        page.get_by_role("button", name="Kirim permohonan").click()

        # The second send lands on the first application, saying nothing new was created.
        assert page.url == first_status
        assert (
            "Permohonan ini sudah terkirim; tidak ada permohonan baru yang dibuat."
            in page.locator("main").inner_text()
        )
        context.close()
    assert Application.objects.count() == before + 1
