"""Browser-test harness shared by every module: Debian's chromium driven by Playwright, and axe for WCAG 2.1 AA.

Load data *before* starting Playwright: its sync API runs an event loop, and Django refuses ORM calls beside one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# Headless as root on a closed network: no sandbox, no GPU, and nothing that phones home at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page) -> list[dict]:
    """WCAG 2.1 AA violations on the loaded page (axe needs JavaScript in the page's context)."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result.response["violations"]
    ]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, base: str, username: str, password: str, totp_secret: str = "") -> None:
    """Sign in through the form (Indonesian labels), with the TOTP code when the second step asks for it."""
    page.goto(f"{base}/masuk/")
    page.get_by_label("NIK atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    if page.url.endswith("/masuk/verifikasi/"):
        import pyotp

        page.get_by_label("Kode 6 angka").fill(pyotp.TOTP(totp_secret).now())
        page.get_by_role("button", name="Lanjutkan").click()


# Text squeezed into a column a few letters wide (a table caption left as `table-caption` inside a stacked
# table, say) never makes the page scroll sideways, so the width check alone cannot see it.
SQUEEZED_TEXT_JS = """() => {
  const hidden = (el) => {  // visually hidden for screen readers (clipped, or a 1 px box), here or above
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e), r = e.getBoundingClientRect();
      if ((s.position === 'absolute' && s.clip !== 'auto') || s.clipPath !== 'none' || r.width <= 1 || r.height <= 1) return true;
    }
    return false;
  };
  const found = [];
  for (const el of document.querySelectorAll('main caption, main td, main th, main p, main li, main h1, main h2, main h3, main dd, main dt, main label')) {
    const text = (el.innerText || '').trim();
    const box = el.getBoundingClientRect();
    if (text.length >= 20 && text.includes(' ') && box.width < 80 && !hidden(el)) {
      found.push(`${el.tagName.toLowerCase()} ${Math.round(box.width)} px: ${text.slice(0, 40)}`);
    }
  }
  return found;
}"""


def squeezed_text(page) -> list[str]:
    """Elements of the page's main part whose words are squeezed into a column under 80 px wide."""
    return page.evaluate(SQUEEZED_TEXT_JS)
