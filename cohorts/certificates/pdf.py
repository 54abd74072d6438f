"""Render a certificate PDF from its frozen text with WeasyPrint.

Fonts: a GB2312 subset of Noto Serif CJK SC bundled in static/fonts/certificates
(see `build_certificate_fonts`: it halves render time and PDF size), falling back per
character to the full Noto Serif CJK SC from fontconfig (`fonts-noto-cjk`), so every
Chinese name is real, selectable text embedded as a font subset. The stylesheet and
the font configuration are parsed once per process and reused for every certificate;
only colours change between designs and they travel as CSS variables in the page.
Images (logo, signatures) are inlined as data URIs from storage so rendering needs no
URL fetching, and a bulk run reads each image once (`_data_uri` is cached by name).
"""

from __future__ import annotations

import atexit
import base64
import mimetypes
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

CSS_PATH = (
    Path(__file__).parent / "templates" / "certificates" / "pdf" / "certificate.css"
)
FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts" / "certificates"


@cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    # Release it before interpreter teardown: its __del__ needs the cffi modules.
    atexit.register(_release_fonts)
    return FontConfiguration()


def _release_fonts() -> None:
    _stylesheet.cache_clear()
    _font_config.cache_clear()


def _font_faces() -> str:
    """@font-face rules for the bundled subset fonts, when they are there."""
    rules = []
    for weight, style in ((400, "Regular"), (700, "Bold")):
        path = FONTS_DIR / f"LodestarSerifSC-{style}.otf"
        if path.exists():
            rules.append(
                f'@font-face {{ font-family: "Certificate Serif"; '
                f'font-weight: {weight}; src: url("{path.as_uri()}"); }}'
            )
    return "\n".join(rules)


@cache
def _stylesheet() -> Any:
    from weasyprint import CSS

    text = _font_faces() + "\n" + CSS_PATH.read_text(encoding="utf-8")
    return CSS(string=text, font_config=_font_config())


@lru_cache(maxsize=64)
def _data_uri(name: str) -> str:
    """A stored image as a data URI; empty when it is missing (never fails a render)."""
    if not name:
        return ""
    try:
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
    except (OSError, ValueError):
        return ""
    mime = mimetypes.guess_type(name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def qr_svg_uri(url: str, colour: str = "#1f3a5f") -> str:
    """The verify URL as a QR code (error correction M, quiet zone kept)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(
        scale=4, border=2, dark=colour
    )


def page_context(frozen: dict[str, Any]) -> dict[str, Any]:
    """What the template needs from a frozen certificate: text plus inlined images."""
    languages = frozen.get("languages") or ["zh"]
    return {
        "c": frozen,
        "bilingual": len(languages) > 1,
        "has_zh": "zh" in languages,
        "has_en": "en" in languages,
        "logo_uri": _data_uri(frozen.get("logo", "")),
        "signatures": [
            {**signature, "image_uri": _data_uri(signature.get("image", ""))}
            for signature in frozen.get("signatures", [])
        ],
        "qr_uri": qr_svg_uri(frozen["verify_url"], frozen["colours"]["primary"]),
    }


def render_html(frozen: dict[str, Any]) -> str:
    return render_to_string("certificates/pdf/certificate.html", page_context(frozen))


def render_pdf(frozen: dict[str, Any]) -> bytes:
    """One certificate as PDF bytes (A4 landscape, one page)."""
    from weasyprint import HTML

    return HTML(string=render_html(frozen), base_url=str(CSS_PATH.parent)).write_pdf(
        stylesheets=[_stylesheet()], font_config=_font_config()
    )


def clear_image_cache() -> None:
    """Forget inlined images (after a design's logo or signature changed)."""
    _data_uri.cache_clear()
