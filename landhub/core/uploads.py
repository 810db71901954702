"""Uploaded images: decoded, checked and re-encoded before anything is stored.

An uploaded "image" is only trusted after Pillow has decoded every pixel of it. What is stored
is a new PNG drawn from those pixels — never the uploaded bytes — so hidden payloads,
metadata (GPS position in a phone photo's EXIF), and polyglot files (an image that is also
HTML or a script) do not survive. The stored name is random; the uploaded name is never used
in a path.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_SOURCE_PIXELS = 25_000_000  # 5000 × 5000: refused before decoding (decompression bombs)


def clean_image(upload, *, max_side: int = 512, max_bytes: int = MAX_UPLOAD_BYTES) -> ContentFile:
    """Decode ``upload``, shrink it to fit ``max_side`` and return it as a fresh PNG file.

    Raises ``ValidationError`` with a sentence for the person uploading when the file is too
    large, is not an image of an accepted format, has too many pixels or is damaged.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The image is %(size).1f MB; the limit is %(limit).1f MB.")
            % {"size": size / 1048576, "limit": max_bytes / 1048576}
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(_("The image is larger than %(limit).1f MB.") % {
            "limit": max_bytes / 1048576})  # fmt: skip
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    _("Upload a PNG, JPEG, WebP or GIF image (this file is %(format)s).")
                    % {"format": image.format or _("of an unknown kind")}
                )
            width, height = image.size
            if width * height > MAX_SOURCE_PIXELS:
                raise ValidationError(
                    _("The image is %(w)d × %(h)d pixels; the limit is 25 megapixels.")
                    % {"w": width, "h": height}
                )
            image.load()  # decodes every pixel: a truncated or damaged file fails here
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        raise ValidationError(_("This file is not an image that can be read.")) from None
    except (OSError, ValueError, SyntaxError) as exc:  # Pillow's errors for damaged files
        raise ValidationError(
            _("The image is damaged and cannot be read (%(error)s).") % {"error": str(exc)[:80]}
        ) from exc

    image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant
    image = image.convert("RGBA")  # one mode for every source; keeps transparency
    image.thumbnail((max_side, max_side))
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)  # no metadata is copied
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.png")


# --- Documents attached to records ------------------------------------------------------------

_ZIP = b"PK\x03\x04"
# extension → (content type served, what the first bytes must be, what the file must hold)
DOCUMENT_TYPES = {
    "pdf": ("application/pdf", b"%PDF-", None),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP,
             "[Content_Types].xml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP,
             "[Content_Types].xml"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP,
             "[Content_Types].xml"),
    "odt": ("application/vnd.oasis.opendocument.text", _ZIP, "mimetype"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP, "mimetype"),
    "odp": ("application/vnd.oasis.opendocument.presentation", _ZIP, "mimetype"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n", None),
    "jpg": ("image/jpeg", b"\xff\xd8\xff", None),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff", None),
    "csv": ("text/csv", None, None),
    "txt": ("text/plain", None, None),
    "md": ("text/markdown", None, None),
}  # fmt: skip


@dataclass(frozen=True)
class CleanDocument:
    file: ContentFile  # under a random name
    original_name: str
    content_type: str
    size: int


def clean_document(upload, *, max_bytes: int) -> CleanDocument:
    """Check an uploaded document: a known kind by its extension *and* by its content.

    PDF, office documents (OOXML and OpenDocument, which are ZIP files holding their
    manifest), PNG/JPEG images and UTF-8 text. The type served later comes from this check,
    never from what the browser claimed; the stored name is random. Raises
    ``ValidationError`` with a sentence for the person uploading.
    """
    import zipfile
    from pathlib import PurePath

    original = PurePath(getattr(upload, "name", "") or "file").name[:200]
    extension = PurePath(original).suffix.lower().lstrip(".")
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Attach a PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPEG "
              "file (not .%(ext)s).") % {"ext": extension or "?"}
        )  # fmt: skip
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit).1f MB.")
            % {"size": size / 1048576, "limit": max_bytes / 1048576}
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(_("The file is larger than %(limit).1f MB.") % {
            "limit": max_bytes / 1048576})  # fmt: skip
    if not data:
        raise ValidationError(_("The file is empty."))
    content_type, magic, member = DOCUMENT_TYPES[extension]
    mismatch = ValidationError(
        _("The file's content is not a .%(ext)s file; save it again in that format.")
        % {"ext": extension}
    )
    if magic is not None and not data.startswith(magic):
        raise mismatch
    if member is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if member not in archive.namelist():
                    raise mismatch
        except zipfile.BadZipFile:
            raise mismatch from None
    if magic is None:  # text: UTF-8 and no binary content
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Save the text file as UTF-8 and attach it again.")) from None
        if "\x00" in text:
            raise mismatch
    return CleanDocument(
        file=ContentFile(data, name=f"{uuid.uuid4().hex}.{extension}"),
        original_name=original,
        content_type=content_type,
        size=len(data),
    )
