"""Arabic text for display: per-renderer shaping decision and the Arabic fonts.

Arabic letters change form with their neighbours and run right to left. A renderer either does that
itself (matplotlib >= 3.11 with its bundled libraqm; Pillow built with raqm + FriBiDi) or draws
code points one by one, left to right. For the first kind we must pass the logical string untouched
(pre-reshaping makes it draw the label reversed); for the second we pass the reshaped,
visual-order string from arabic-reshaper + python-bidi.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = [
    "shape_for_display", "renderer_shapes", "setup_arabic_fonts",
    "has_arabic", "arabic_font_files", "ARABIC_FONT_FAMILY",
]

RENDERERS = ("matplotlib", "pillow")
ARABIC_FONT_FAMILY = "Noto Sans Arabic"
_FALLBACK_FAMILIES = ("Amiri", "DejaVu Sans")
_SVG_HASHSALT = "arabnews"

# Arabic, Arabic Supplement, Arabic Extended-A, presentation forms A and B.
_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


# ---------------------------------------------------------------- capability

def has_arabic(text: str) -> bool:
    """True when `text` holds at least one Arabic-script character."""
    return bool(_ARABIC_RE.search(text))


@lru_cache(maxsize=None)
def renderer_shapes(renderer: str = "matplotlib") -> bool:
    """True when `renderer` ("matplotlib" or "pillow") shapes and bidi-orders Arabic itself (cached)."""
    if renderer == "matplotlib":
        return _matplotlib_shapes()
    if renderer == "pillow":
        from PIL import features
        return bool(features.check("raqm"))
    raise ValueError(f"unknown renderer {renderer!r}; expected one of {RENDERERS}")


def _matplotlib_shapes() -> bool:
    """matplotlib >= 3.11 announces its libraqm; otherwise measure whether letters join."""
    from matplotlib import ft2font
    if getattr(ft2font, "__libraqm_version__", None):
        return True
    return _probe_matplotlib_joins()


def _probe_matplotlib_joins() -> bool:
    """Draw three joined beh letters: a shaping renderer uses narrow joined forms, others 3 wide ones."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = RendererAgg(200, 100, 72)
    prop = FontProperties(fname=str(arabic_font_files()[0]), size=50)
    one = renderer.get_text_width_height_descent("\u0628", prop, ismath=False)[0]
    three = renderer.get_text_width_height_descent("\u0628" * 3, prop, ismath=False)[0]
    return three < 0.8 * 3 * one


# ---------------------------------------------------------------- shaping

def shape_for_display(text: str, renderer: str = "matplotlib") -> str:
    """The string to hand to `renderer` so `text` (logical order) is drawn correctly.

    Logical text where the renderer shapes; reshaped visual-order text, line by line, where it does
    not. Strings without Arabic are returned untouched.
    """
    if not isinstance(text, str):
        raise TypeError(f"shape_for_display expects str, got {type(text).__name__}: {text!r}")
    if not has_arabic(text) or renderer_shapes(renderer):
        return text
    return "\n".join(_visual_line(line) for line in text.split("\n"))


@lru_cache(maxsize=8192)
def _visual_line(line: str) -> str:
    """Contextual forms (arabic-reshaper) put in visual order (python-bidi, auto base direction)."""
    import arabic_reshaper
    from bidi.algorithm import get_display
    return get_display(arabic_reshaper.reshape(line))


# ---------------------------------------------------------------- fonts

def arabic_font_files() -> list[Path]:
    """The OFL Arabic fonts shipped by the fontpkg packages: Noto Sans Arabic first, then Amiri."""
    import fontpkg_amiri
    import fontpkg_noto_sans_arabic

    files = []
    for module in (fontpkg_noto_sans_arabic, fontpkg_amiri):
        folder = Path(module.__file__).resolve().parent / "files"
        found = sorted(folder.glob("*.ttf"))
        if not found:
            raise FileNotFoundError(f"no .ttf files in {folder}; reinstall {module.__name__}")
        files += found
    return files


def setup_arabic_fonts(family: str = ARABIC_FONT_FAMILY) -> list[str]:
    """Register the Arabic fonts with matplotlib and make `family` the first sans-serif font.

    Falls back to Amiri and DejaVu Sans for any glyph missing; embeds TrueType in PDF/PS (variable
    fonts break Type 3 output) and fixes the SVG hash salt so saved SVGs are byte-reproducible.
    Returns the resulting sans-serif chain.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    for path in arabic_font_files():
        if not _is_registered(path):
            font_manager.fontManager.addfont(str(path))
    names = {f.name for f in font_manager.fontManager.ttflist}
    if family not in names:
        raise ValueError(f"font family {family!r} is not registered; known Arabic: "
                         f"{sorted(n for n in names if n in (ARABIC_FONT_FAMILY, *_FALLBACK_FAMILIES))}")
    chain = [family, *[f for f in _FALLBACK_FAMILIES if f != family]]
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f not in chain]
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["font.sans-serif"] = chain + rest
    mpl.rcParams["pdf.fonttype"] = 42
    mpl.rcParams["ps.fonttype"] = 42
    mpl.rcParams["svg.hashsalt"] = _SVG_HASHSALT
    return list(mpl.rcParams["font.sans-serif"])


def _is_registered(path: Path) -> bool:
    """True when matplotlib's font manager already lists this exact font file."""
    from matplotlib import font_manager
    target = str(path)
    return any(f.fname == target for f in font_manager.fontManager.ttflist)
