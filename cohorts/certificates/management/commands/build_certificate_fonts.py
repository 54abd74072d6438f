"""Rebuild static/fonts/certificates/LodestarSerifSC-{Regular,Bold}.otf.

WeasyPrint subsets every font it embeds, keeping glyph ids; for the full Noto Serif
CJK face (65,000 glyphs) that costs about 0.1 s per certificate. These files hold
only GB2312 (6,763 hanzi and its symbols), Latin and punctuation, which halves the
time to render and the PDF size. Characters outside them (rarer name characters
such as 堃) fall back to the full system font, so every name still prints as text.
The files are committed; run this only to change what they hold (minutes of CPU).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

SOURCE = "/usr/share/fonts/opentype/noto/NotoSerifCJK-{weight}.ttc"


def gb2312_codepoints() -> set[int]:
    chars: set[int] = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([first, second]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def codepoints() -> set[int]:
    extra = {0x2605, 0x00B7, 0x2013, 0x2014}
    ranges = [(0x20, 0x17F), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF)]
    return gb2312_codepoints() | extra | {c for a, b in ranges for c in range(a, b)}


class Command(BaseCommand):
    help = "Subset Noto Serif CJK SC for certificate PDFs (static/fonts/certificates)."

    def handle(self, *args: Any, **options: Any) -> None:
        from fontTools import subset
        from fontTools.ttLib import TTCollection

        target = Path(settings.BASE_DIR) / "static" / "fonts" / "certificates"
        target.mkdir(parents=True, exist_ok=True)
        wanted = codepoints()
        for weight in ("Regular", "Bold"):
            collection = TTCollection(SOURCE.format(weight=weight))
            font = next(
                f for f in collection.fonts if f["name"].getDebugName(1).endswith(" SC")
            )
            options_ = subset.Options()
            options_.layout_features = ["*"]
            options_.name_IDs = ["*"]
            options_.notdef_outline = True
            subsetter = subset.Subsetter(options_)
            subsetter.populate(unicodes=wanted)
            subsetter.subset(font)
            path = target / f"LodestarSerifSC-{weight}.otf"
            font.save(str(path))
            self.stdout.write(f"{path} ({path.stat().st_size // 1024} KB)")
