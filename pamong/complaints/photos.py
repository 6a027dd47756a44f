"""Photos with a report: the type is read from the content (never the name or the browser's Content-Type), the
size and pixel count are bounded, and every photo is decoded and encoded again as a fresh JPEG built from its
pixels alone. That drops every metadata block a camera or phone writes (EXIF with GPS position, device serial and
owner name, XMP, IPTC, ICC profile, JPEG comments, PNG text chunks), so a photo never reveals who took it or where
they stood: an anonymous or confidential reporter stays so. Pure: bytes in, bytes out (Pillow), no database.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from pamong.core.errors import ValidationFailed

PHOTO_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP"}
MAX_PHOTOS = 3  # per report
MAX_BYTES = 5 * 1024 * 1024  # per photo as sent
MAX_PIXELS = 40_000_000  # checked from the header before decoding: a small file can decode to gigabytes
MAX_SIDE = 2560  # larger photos are scaled down; an officer needs no more, and the store stays small
QUALITY = 85


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int
    sha256: str

    content_type = "image/jpeg"


def _refuse(message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, details={"photos": message})


def clean_photo(content: bytes) -> CleanPhoto:
    """Check one photo as sent and return it re-encoded without metadata; ValidationFailed with a code if not."""
    if not content:
        raise _refuse(_("The photo is empty."), "photo_empty")
    if len(content) > MAX_BYTES:
        raise _refuse(
            _("The photo is too large (%(kb)s KB); at most %(mb)s MB.")
            % {"kb": len(content) // 1024, "mb": MAX_BYTES // (1024 * 1024)},
            "photo_too_large",
        )
    detected = filetype.guess_mime(content[:2048])
    if detected not in PHOTO_TYPES:
        raise _refuse(
            _(
                "This kind of photo is not accepted (%(kind)s); send JPEG, PNG or WebP (the kind is read from "
                "the file's content, not its name)."
            )
            % {"kind": detected or _("unknown")},
            "photo_type_not_allowed",
        )
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise _refuse(_("The photo has too many pixels."), "photo_too_many_pixels")
            image.load()
            pixels = _pixels(image)
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(
            _("The photo is damaged or cannot be read; send it again."), "photo_unreadable"
        ) from None
    out = io.BytesIO()
    pixels.save(out, format="JPEG", quality=QUALITY, optimize=True)
    data = out.getvalue()
    return CleanPhoto(
        content=data, width=pixels.width, height=pixels.height, sha256=hashlib.sha256(data).hexdigest()
    )


def _pixels(image: Image.Image) -> Image.Image:
    """Upright RGB pixels in a new image that carries nothing else (no `info`, no EXIF, no profile)."""
    upright = ImageOps.exif_transpose(image)  # the orientation the camera meant, before its EXIF goes
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = upright.convert("RGB")
    flat.thumbnail((MAX_SIDE, MAX_SIDE))
    return Image.frombytes(
        "RGB", flat.size, flat.tobytes()
    )  # pixels only: whatever `info` held is left behind


def clean_all(contents: list[bytes]) -> list[CleanPhoto]:
    """Several photos of one report, with the per-report limit; done before any transaction opens."""
    if len(contents) > MAX_PHOTOS:
        raise _refuse(_("At most %(count)s photos per report.") % {"count": MAX_PHOTOS}, "too_many_photos")
    return [clean_photo(content) for content in contents]
