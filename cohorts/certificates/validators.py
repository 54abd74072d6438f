"""Validators for certificate designs: placeholders, colours and uploaded images."""

from __future__ import annotations

import re
import string

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

PLACEHOLDERS: tuple[str, ...] = (
    "name",
    "course",
    "cohort",
    "start_date",
    "end_date",
    "hours",
    "score",
)
MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP"}
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def placeholders_in(text: str) -> list[str]:
    """The placeholder names used in `text`; ValueError on unbalanced braces."""
    return [
        field
        for _lit, field, _spec, _conv in string.Formatter().parse(text)
        if field is not None
    ]


def validate_placeholders(text: str) -> None:
    """Refuse a body using a placeholder we do not fill, naming it."""
    try:
        used = placeholders_in(text or "")
    except ValueError:
        raise ValidationError(
            _("Braces must come in pairs around a placeholder, e.g. {name}."),
            code="placeholder_braces",
        ) from None
    unknown = sorted({name for name in used if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(names)s. Use one of: %(known)s.")
            % {
                "names": ", ".join("{" + name + "}" for name in unknown),
                "known": " ".join("{" + name + "}" for name in PLACEHOLDERS),
            },
            code="placeholder_unknown",
        )


def validate_hex_colour(value: str) -> None:
    if not _HEX.match(value or ""):
        raise ValidationError(
            _("“%(value)s” is not a hex colour such as #1f3a5f.") % {"value": value},
            code="colour",
        )


def validate_image_upload(upload: File) -> None:
    """An uploaded logo or signature: at most 2 MB, and really a PNG/JPEG/WebP."""
    from PIL import Image, UnidentifiedImageError

    size = getattr(upload, "size", None) or 0
    if size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is %(size).1f MB; the limit is 2 MB.")
            % {"size": size / 1024 / 1024},
            code="image_too_large",
        )
    try:
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
        upload.seek(position)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not an image. Upload a PNG, JPEG or WebP file."),
            code="image_type",
        ) from None
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("Upload a PNG, JPEG or WebP image (this one is %(format)s).")
            % {"format": image_format},
            code="image_type",
        )
