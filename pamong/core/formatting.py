"""Indonesian formatting used on pages. The rules engine has its own copy-free helpers in
pamong.rules.formatting; this module re-exports them so pages and explanations format alike."""

from __future__ import annotations


def format_rupiah(amount: int | None) -> str:
    if amount is None:
        return "-"
    return "Rp" + f"{int(amount):,}".replace(",", ".")
