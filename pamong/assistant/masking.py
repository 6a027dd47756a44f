"""Personal numbers masked before a question is stored (pure: no Django). A NIK or KK number (16 digits), a
phone number (08…, +62…, 62…) and an e-mail address keep only a hint of their shape: what is kept is enough to
improve answers, never enough to find a person."""

from __future__ import annotations

import re

_SIXTEEN = re.compile(r"(?<!\d)(\d[\s.-]?){15}\d(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+?62|0)[\s.-]?8(?:[\s.-]?\d){7,11}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LONG_NUMBER = re.compile(r"(?<!\d)\d{9,}(?!\d)")


def mask(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _SIXTEEN.sub("[NIK]", text)
    text = _PHONE.sub("[telepon]", text)
    return _LONG_NUMBER.sub("[nomor]", text)
