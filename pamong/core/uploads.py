"""Upload checks shared by every module: a size limit and a type detected from the file's content (magic bytes,
with the `filetype` library), never from its name or the browser's Content-Type."""

from __future__ import annotations

import re
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from pamong.core.errors import ValidationFailed

ALLOWED_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int


def check_upload(*, name: str, head: bytes, size: int) -> CheckedUpload:
    """`head`: the first bytes of the file (at least 262, as filetype reads)."""
    limit = settings.PAMONG_UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationFailed(
            _("The file is too large (%(size)s KB); at most %(limit)s MB.")
            % {"size": size // 1024, "limit": limit // (1024 * 1024)},
            code="upload_too_large",
        )
    if size == 0:
        raise ValidationFailed(_("The file is empty."), code="upload_empty")
    detected = filetype.guess_mime(head)
    if detected not in ALLOWED_TYPES:
        allowed = ", ".join(ALLOWED_TYPES.values())
        raise ValidationFailed(
            _(
                "This type of file is not accepted; upload %(allowed)s. (The type is read from the content, not the name.)"
            )
            % {"allowed": allowed},
            code="upload_type_not_allowed",
            details={"detected": detected or "unknown"},
        )
    return CheckedUpload(name=safe_name(name), content_type=detected, size=size)


def safe_name(name: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._ -]", "_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    return (base or "berkas")[:120]
