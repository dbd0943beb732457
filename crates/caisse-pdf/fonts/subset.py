#!/usr/bin/env python3
"""Builds the two fonts compiled into caisse-pdf from the DejaVu 2.37 originals.

    pip install fonttools==4.68.0
    python3 crates/caisse-pdf/fonts/subset.py [SOURCE_DIR]

SOURCE_DIR holds the original DejaVuSans.ttf and DejaVuSans-Bold.ttf; by default the copies of
Debian 12's fonts-dejavu-core 2.37-6 (/usr/share/fonts/truetype/dejavu). The originals are
checked against their SHA-256 before anything is written, and the output is the same bytes
for the same fonttools version (printed at the end; README.md records it).

What changes (see README.md for why):
- the TrueType hinting is removed (instructions, cvt, fpgm, prep): a PDF viewer or a printer
  does not need it, and krilla copied it into every PDF, where it was compressed every time;
- the coverage is kept to the scripts and symbols the portal's documents can hold: every Latin
  letter (accents in any form, combining marks included), Greek, Cyrillic, Armenian, Georgian,
  Tifinagh, punctuation, currency, arrows, common symbols, DejaVu's emoticons and U+FFFD, the
  mark that stands for what cannot be drawn. Scripts that the left-to-right Latin shaping of caisse-pdf would draw
  wrongly anyway (Arabic, Hebrew, N'Ko, Lao) and rare blocks (Braille, mathematical
  alphanumerics, Canadian syllabics, private use) are dropped;
- every OpenType layout feature of what is kept stays (kerning, marks, ligatures), so text is
  shaped and measured exactly as before;
- the names say the font was modified (version string and unique id). The family name stays
  "DejaVu Sans", which the Bitstream Vera licence allows (a modified font must not be named
  with "Bitstream" or "Vera"); the copyright and the licence text stay in the name table.
"""

import hashlib
import sys
from pathlib import Path

from fontTools import version as fonttools_version
from fontTools import subset
from fontTools.ttLib import TTFont

FONTTOOLS = "4.68.0"

ORIGINALS = {
    "DejaVuSans.ttf": "abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322",
    "DejaVuSans-Bold.ttf": "0d977336a6d5fba34eab8e3199eb218327161b5143749f802982c2bc34df0c96",
}

# Code point ranges kept, by block.
UNICODES = [
    (0x0000, 0x024F),  # Basic Latin, Latin-1, Latin Extended-A and -B
    (0x0250, 0x02FF),  # IPA extensions, spacing modifier letters (ʼ ˆ ˜)
    (0x0300, 0x036F),  # combining diacritical marks (decomposed accents)
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x052F),  # Cyrillic and its supplement
    (0x0530, 0x058F),  # Armenian
    (0x10A0, 0x10FF),  # Georgian
    (0x1D00, 0x1DBF),  # phonetic extensions
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, ẞ)
    (0x1F00, 0x1FFF),  # Greek extended
    (0x2000, 0x206F),  # general punctuation (’ – — … narrow no-break space)
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x20A0, 0x20CF),  # currency symbols (€)
    (0x2100, 0x214F),  # letterlike symbols (№ ™)
    (0x2150, 0x218F),  # number forms (fractions)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (− ≤ ≥)
    (0x2300, 0x23FF),  # miscellaneous technical
    (0x2460, 0x24FF),  # enclosed alphanumerics (①)
    (0x2500, 0x25FF),  # box drawing, block elements, geometric shapes (■ ●)
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats (☎ ✓ ❤)
    (0x2C60, 0x2C7F),  # Latin Extended-C
    (0x2D00, 0x2D2F),  # Georgian supplement
    (0x2D30, 0x2D7F),  # Tifinagh
    (0x2E00, 0x2E7F),  # supplemental punctuation
    (0xA640, 0xA69F),  # Cyrillic Extended-B
    (0xA720, 0xA7FF),  # Latin Extended-D
    (0xFB00, 0xFB17),  # Latin and Armenian ligatures (ﬁ ﬂ)
    (0xFE00, 0xFE0F),  # variation selectors (the emoji presentation of ❤️)
    (0xFFFD, 0xFFFD),  # replacement character
    (0x1F300, 0x1F64F),  # the pictographs and emoticons DejaVu draws (😀)
]

MODIFIED = "subset for Caisse: hinting removed, coverage reduced"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(source: Path, target: Path) -> None:
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    # FontForge's timestamp table: nothing reads it.
    options.drop_tables += ["FFTM"]
    # Keeps the original modification date: the same input gives the same bytes.
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for lo, hi in UNICODES for cp in range(lo, hi + 1)])
    subsetter.subset(font)
    name = font["name"]
    for record in name.names:
        if record.nameID == 3:
            record.string = f"{record.toUnicode()}; {MODIFIED}"
        elif record.nameID == 5:
            record.string = f"{record.toUnicode()}; {MODIFIED}"
    for record in name.names:
        text = record.toUnicode()
        if record.nameID in (1, 3, 4, 6, 16) and ("Bitstream" in text or "Vera" in text):
            sys.exit(f"the font's name must not hold Bitstream or Vera: {text}")
    font.save(target)


def main() -> None:
    source_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu")
    if fonttools_version != FONTTOOLS:
        print(
            f"warning: fonttools {fonttools_version}, the recorded output comes from {FONTTOOLS}",
            file=sys.stderr,
        )
    here = Path(__file__).resolve().parent
    for file, expected in ORIGINALS.items():
        source = source_dir / file
        if not source.is_file():
            sys.exit(f"{source} not found (apt-get install fonts-dejavu-core, or pass SOURCE_DIR)")
        if sha256(source) != expected:
            sys.exit(f"{source} is not the DejaVu 2.37 original (SHA-256 differs)")
    for file in ORIGINALS:
        target = here / file
        build(source_dir / file, target)
        print(f"{target.name}: {target.stat().st_size} bytes, SHA-256 {sha256(target)}")


if __name__ == "__main__":
    main()
