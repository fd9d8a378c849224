"""Arabic normalisation and tokenisation.

``normalize`` folds the spelling noise of web news text (diacritics, tatweel, hamza-alef variants,
Persian letters, Arabic-Indic digits, invisible controls) so that counts are counts of words, not
of keyboard habits. ``normalize_with_offsets`` does the same and keeps, for each output character,
its position in the input, so that matches found on normalised text point back at the original.
"""
from __future__ import annotations

import unicodedata

__all__ = ["normalize", "normalize_with_offsets"]

# --- normalisation tables ---------------------------------------------------------------------
DIACRITICS = {chr(c) for c in range(0x064B, 0x0653)} | {"\u0670", "\u0653", "\u0654", "\u0655"}
TATWEEL = "\u0640"
INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                "\u2066\u2067\u2068\u2069\u061c\ufeff\u00ad")
SPACES = set("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")
BASE_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",  # hamza / madda / wasla on alef
    "ک": "ك", "ی": "ي", "ې": "ي", "ۍ": "ي", "ھ": "ه", "ە": "ه",  # Persian / Urdu letters
}
BASE_FOLD.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
BASE_FOLD.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Extended (Persian) digits
COMBINING_HAMZA = {"\u0653", "\u0654", "\u0655"}
PRESENTATION_FORMS = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def _is_presentation_form(ch: str) -> bool:
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in PRESENTATION_FORMS)


def _fold_char(ch: str, *, fold_ya: bool, fold_ta_marbuta: bool, keep_tatweel: bool) -> str:
    """Normalised form of one (already NFC/NFKC) character; '' when it is dropped."""
    if ch in DIACRITICS or ch in INVISIBLE:
        return ""
    if ch == TATWEEL:
        return ch if keep_tatweel else ""
    if ch in SPACES:
        return " "
    if fold_ya and ch == "ى":
        return "ي"
    if fold_ta_marbuta and ch == "ة":
        return "ه"
    return BASE_FOLD.get(ch, ch)


def normalize_with_offsets(text: str, *, fold_ya: bool = False, fold_ta_marbuta: bool = False,
                           keep_tatweel: bool = False) -> tuple[str, list[int]]:
    """Normalise ``text`` and return ``(normalised, offsets)``.

    ``offsets[i]`` is the index in ``text`` of the character that produced ``normalised[i]``, so
    ``text[offsets[i]:offsets[j - 1] + 1]`` is the original span of ``normalised[i:j]``.
    """
    out: list[str] = []
    offsets: list[int] = []
    opts = dict(fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta, keep_tatweel=keep_tatweel)
    for i, ch in enumerate(text):
        if ch in COMBINING_HAMZA and i and out and offsets[-1] == i - 1:
            composed = unicodedata.normalize("NFC", text[i - 1] + ch)  # و + U+0654 -> ؤ
            if len(composed) == 1:
                out[-1] = _fold_char(composed, **opts) or out[-1]
                continue
        if _is_presentation_form(ch):  # e.g. U+FEFB LAM-ALEF ligature -> لا
            ch = unicodedata.normalize("NFKC", ch)
        for piece in ch:
            for c in _fold_char(piece, **opts):
                out.append(c)
                offsets.append(i)
    return "".join(out), offsets


def normalize(text: str, *, fold_ya: bool = False, fold_ta_marbuta: bool = False,
              keep_tatweel: bool = False) -> str:
    """Fold diacritics, tatweel, alef variants, Persian letters, digits and invisibles. Idempotent.

    ى and ة are kept by default: folding them merges real words (على/علي, زميلة/زميله).
    """
    return normalize_with_offsets(text, fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta,
                                  keep_tatweel=keep_tatweel)[0]
