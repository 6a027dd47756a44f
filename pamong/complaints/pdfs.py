"""Documents with a report (a letter, a receipt): PDF only. The type and size are checked by the project's one
upload checker (pamong.core.uploads.check_upload: read from the content, never the name), then the pages are copied
into a new PDF that carries none of the sender's metadata: no document information (/Author, /Creator,
/Producer, /Title...), no XMP stream (document or page level), no annotation author. An anonymous reporter's name
in their word processor's settings never reaches staff. Pure: bytes in, bytes out (pypdf), no database.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import NameObject

from pamong.core.errors import ValidationFailed
from pamong.core.uploads import check_upload

MAX_DOCUMENTS = 3  # per report, counted apart from photos (a letter and a receipt are not pictures)
MAX_BYTES = 5 * 1024 * 1024  # per document as sent (check_upload's own limit applies as well)
# Page-level keys that can carry who wrote the file or with what: XMP, application private data, thumbnails.
PAGE_KEYS = ("/Metadata", "/PieceInfo", "/Thumb")
ANNOTATION_KEYS = ("/T", "/M", "/NM", "/RC", "/Popup")  # /T of a markup annotation: its author's name


@dataclass(frozen=True)
class CleanDocument:
    content: bytes
    pages: int
    sha256: str

    content_type = "application/pdf"


def _refuse(message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, details={"documents": message})


def clean_document(content: bytes) -> CleanDocument:
    """Check one PDF as sent and return a copy without metadata; ValidationFailed with a code if not."""
    if len(content) > MAX_BYTES:
        raise _refuse(
            _("The document is too large (%(kb)s KB); at most %(mb)s MB.")
            % {"kb": len(content) // 1024, "mb": MAX_BYTES // (1024 * 1024)},
            "document_too_large",
        )
    try:
        checked = check_upload(name="document.pdf", head=content[:2048], size=len(content))
    except ValidationFailed as error:
        if error.code != "upload_type_not_allowed":  # empty, or past the site-wide limit: its own words
            raise _refuse(error.message, error.code) from None
        checked = None
    if checked is None or checked.content_type != "application/pdf":  # the checker also lets photos through
        raise _refuse(
            _("Only PDF documents are accepted (the kind is read from the file's content, not its name)."),
            "document_not_pdf",
        )
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise _refuse(
                _("The document is protected by a password; send it without one."), "document_encrypted"
            )
        data, pages = _copy_pages(reader)
    except ValidationFailed:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise _refuse(
            _("The document is damaged or cannot be read; send it again."), "document_unreadable"
        ) from None
    return CleanDocument(content=data, pages=pages, sha256=hashlib.sha256(data).hexdigest())


def _copy_pages(reader: PdfReader) -> tuple[bytes, int]:
    """The pages alone in a new file: the catalogue (document XMP, JavaScript, forms) and /Info stay behind."""
    writer = PdfWriter()
    for page in reader.pages:
        copied = writer.add_page(page)
        for key in PAGE_KEYS:
            copied.pop(NameObject(key), None)
        for annotation in copied.get("/Annots") or ():
            annotation = annotation.get_object()
            for key in ANNOTATION_KEYS:
                annotation.pop(NameObject(key), None)
    writer.metadata = None  # not even pypdf's own /Producer: the file says nothing about who made it
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(reader.pages)


def clean_all(contents: list[bytes]) -> list[CleanDocument]:
    """Several documents of one report, with the per-report limit; done before any transaction opens."""
    if len(contents) > MAX_DOCUMENTS:
        raise _refuse(
            _("At most %(count)s documents per report.") % {"count": MAX_DOCUMENTS}, "too_many_documents"
        )
    return [clean_document(content) for content in contents]
