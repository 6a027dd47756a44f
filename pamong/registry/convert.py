"""Turn what a form or another agency sent into a value of a declared fact type (pamong.rules.types names).
Pure Python. Anything that cannot be read unambiguously raises ValueError: the caller records the fact as
unknown (None), so the rules engine refers the case to a person instead of deciding on a guess."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from pamong.rules.types import python_value_ok

_TRUE = {"true", "1", "ya", "y", "yes", "on", "benar"}
_FALSE = {"false", "0", "tidak", "t", "no", "off", "salah"}
# "1500000", "1.500.000" (Indonesian thousands), "Rp 1.500.000", "-3"; never "1.5" or "1,5" (ambiguous).
_WHOLE = re.compile(r"^-?(\d+|\d{1,3}(\.\d{3})+)$")


def to_type(value: object, type_name: str) -> object:
    """`value` as `type_name` (bool, int, money, number, str, date); None and "" stay None (unknown). A number the
    rules engine cannot compute exactly (|x| >= 2^53) is refused: it becomes unknown, and a person decides."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    converter = _CONVERTERS.get(type_name)
    if converter is None:
        raise ValueError(f"unknown fact type {type_name!r}")
    converted = converter(value)
    if not python_value_ok(converted, type_name):
        raise ValueError(f"too large to compute exactly: {value!r:.40}")
    return converted


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


def _whole(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError("a yes/no value is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        if not math.isfinite(value) or value != int(value):
            raise ValueError(f"not a whole number: {value!r}")
        return int(value)
    text = str(value).strip()
    text = re.sub(r"^rp\.?\s*", "", text, flags=re.IGNORECASE).replace(" ", "")
    if not _WHOLE.match(text):
        raise ValueError(f"not a whole number: {value!r}")
    return int(text.replace(".", ""))


def _money(value: object) -> int:
    amount = _whole(value)
    if amount < 0:
        raise ValueError("an amount of money cannot be negative")
    return amount


def _number(value: object) -> float:
    if isinstance(value, bool):
        raise ValueError("a yes/no value is not a number")
    number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


def _str(value: object) -> str:
    if isinstance(value, bool | dict | list):
        raise ValueError(f"not text: {value!r}")
    return str(value).strip()


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError("a date-time is not a date")
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


_CONVERTERS = {
    "bool": _bool,
    "int": _whole,
    "money": _money,
    "number": _number,
    "str": _str,
    "date": _date,
}
