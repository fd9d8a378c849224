"""Pixel reference for Arabic text, built without any matplotlib or Pillow text code.

The reference is shaped by HarfBuzz (uharfbuzz), drawn from the font's glyph outlines (fontTools),
flattened to polygons and filled with a small numpy non-zero-winding scanline rasteriser. A label as
a renderer really drew it is then compared with the reference and with its mirror image.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import uharfbuzz as hb
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from PIL import Image

__all__ = [
    "NOTO_ARABIC", "AMIRI", "REF_HEIGHT", "MAD_MAX", "RATIO_MAX",
    "reference_image", "ink_from_rgba", "crop_to_ink", "normalise", "compare", "verdict",
    "negative_controls", "visual_reversed",
]

# ---------------------------------------------------------------- fonts and thresholds

def _font_file(package: str, name: str) -> Path:
    module = __import__(package)
    return Path(module.__file__).resolve().parent / "files" / name


NOTO_ARABIC = _font_file("fontpkg_noto_sans_arabic", "NotoSansArabic[wdth,wght].ttf")
AMIRI = _font_file("fontpkg_amiri", "Amiri-Regular.ttf")

REF_HEIGHT = 64       # every image is scaled to this height before comparing
MAD_MAX = 0.13        # correct renders measured <= 0.093; wrong ones >= 0.18
RATIO_MAX = 0.6       # MAD / mirror-MAD: correct <= 0.35; reversed or unjoined >= 0.86
_SUPERSAMPLE = 4      # sub-pixel rows and columns per output pixel in the reference rasteriser


# ---------------------------------------------------------------- shaping and outlines

@lru_cache(maxsize=None)
def _hb_font(font_path: str):
    blob = hb.Blob.from_file_path(font_path)
    return hb.Font(hb.Face(blob))


@lru_cache(maxsize=None)
def _glyph_set(font_path: str):
    font = TTFont(font_path)
    location = {a.axisTag: a.defaultValue for a in font["fvar"].axes} if "fvar" in font else None
    return font.getGlyphOrder(), font.getGlyphSet(location=location)


def shape(text: str, font_path: str = str(NOTO_ARABIC), direction: str | None = None,
          pen_x: int = 0) -> tuple[list[tuple[int, int, int]], int]:
    """HarfBuzz-shape one run of logical `text` (direction guessed unless "rtl"/"ltr" is given).

    Returns the (glyph id, x, y) positions in visual order and the pen position after the run.
    """
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    if direction is not None:
        buf.direction = direction
    hb.shape(_hb_font(font_path), buf, {})
    placed = []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
        placed.append((info.codepoint, pen_x + pos.x_offset, pos.y_offset))
        pen_x += pos.x_advance
    return placed, pen_x


class _PolygonPen(BasePen):
    """Collects glyph contours as flattened polygons (curves cut into short line segments)."""

    def __init__(self, glyph_set, dx: float, dy: float, steps: int = 8):
        super().__init__(glyph_set)
        self.dx, self.dy, self.steps = dx, dy, steps
        self.polygons: list[list[tuple[float, float]]] = []

    def _moveTo(self, pt):
        self.polygons.append([self._at(pt)])

    def _lineTo(self, pt):
        self.polygons[-1].append(self._at(pt))

    def _qCurveToOne(self, p1, p2):
        p0 = self._getCurrentPoint()
        for t in np.linspace(0, 1, self.steps + 1)[1:]:
            x = (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t ** 2 * p2[0]
            y = (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t ** 2 * p2[1]
            self.polygons[-1].append(self._at((x, y)))

    def _curveToOne(self, p1, p2, p3):
        p0 = self._getCurrentPoint()
        for t in np.linspace(0, 1, self.steps + 1)[1:]:
            a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
            self.polygons[-1].append(self._at((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                                               a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1])))

    def _closePath(self):
        pass

    def _at(self, pt):
        return (pt[0] + self.dx, pt[1] + self.dy)


def outline_polygons(runs: tuple[tuple[str, str | None], ...],
                     font_path: str = str(NOTO_ARABIC)) -> list[np.ndarray]:
    """Shaped outlines of (text, direction) runs, laid left to right, as polygons in font units."""
    order, glyph_set = _glyph_set(font_path)
    placed, pen_x = [], 0
    for text, direction in runs:
        run, pen_x = shape(text, font_path, direction, pen_x)
        placed += run
    polygons = []
    for gid, x, y in placed:
        pen = _PolygonPen(glyph_set, x, y)
        glyph_set[order[gid]].draw(pen)
        polygons += [np.asarray(p, dtype=float) for p in pen.polygons if len(p) > 2]
    return polygons


# ---------------------------------------------------------------- rasterising

def _fill_nonzero(polygons: list[np.ndarray], scale: float, x0: float, y1: float,
                  width: int, height: int) -> np.ndarray:
    """Coverage (0..1) of polygons filled with the non-zero winding rule, by supersampled scanlines."""
    ss = _SUPERSAMPLE
    edges = np.concatenate([np.stack([p, np.roll(p, -1, axis=0)], axis=1) for p in polygons])
    # to sample space: columns to the right, rows downwards
    ex = (edges[:, :, 0] - x0) * scale * ss
    ey = (y1 - edges[:, :, 1]) * scale * ss
    sample_x = np.arange(width * ss) + 0.5
    grid = np.zeros((height * ss, width * ss), dtype=np.int8)
    for row in range(height * ss):
        sy = row + 0.5
        ya, yb = ey[:, 0], ey[:, 1]
        hit = (ya <= sy) != (yb <= sy)
        if not hit.any():
            continue
        t = (sy - ya[hit]) / (yb[hit] - ya[hit])
        cross = ex[hit, 0] + t * (ex[hit, 1] - ex[hit, 0])
        winding_dir = np.where(yb[hit] > ya[hit], 1, -1)
        order = np.argsort(cross)
        cum = np.concatenate([[0], np.cumsum(winding_dir[order])])
        grid[row] = cum[np.searchsorted(cross[order], sample_x)] != 0
    return grid.reshape(height, ss, width, ss).mean(axis=(1, 3))


@lru_cache(maxsize=256)
def _reference(runs: tuple[tuple[str, str | None], ...], font_path: str) -> np.ndarray:
    polygons = outline_polygons(runs, font_path)
    if not polygons:
        raise ValueError(f"no ink for {runs!r} in {font_path}")
    pts = np.concatenate(polygons)
    (xmin, ymin), (xmax, ymax) = pts.min(axis=0), pts.max(axis=0)
    scale = REF_HEIGHT / (ymax - ymin)
    width = max(1, int(round((xmax - xmin) * scale)))
    return _fill_nonzero(polygons, scale, xmin, ymax, width, REF_HEIGHT)


def reference_image(text, font_path: Path | str = NOTO_ARABIC) -> np.ndarray:
    """Correctly shaped text as ink coverage, cropped, REF_HEIGHT pixels high.

    `text` is one logical single-direction string, or for mixed text a sequence of
    (logical run, "rtl"/"ltr") pairs listed in visual order, left to right.
    """
    runs = ((text, None),) if isinstance(text, str) else tuple((t, d) for t, d in text)
    return _reference(runs, str(font_path)).copy()


# ---------------------------------------------------------------- the drawn image side

def ink_from_rgba(rgba: np.ndarray, background=(255, 255, 255)) -> np.ndarray:
    """Ink amount (0..1) of an RGB(A) image on a known background: largest channel distance."""
    rgb = np.asarray(rgba)[..., :3].astype(float)
    return np.abs(rgb - np.asarray(background, dtype=float)).max(axis=-1) / 255.0


def crop_to_ink(ink: np.ndarray, threshold: float = 0.1) -> np.ndarray:
    """Smallest window holding every pixel with ink above `threshold`."""
    rows = np.flatnonzero((ink > threshold).any(axis=1))
    cols = np.flatnonzero((ink > threshold).any(axis=0))
    if rows.size == 0:
        raise ValueError("image has no ink")
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def normalise(ink: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Crop to ink, stretch to (width, height) and scale the darkest pixel to 1."""
    img = crop_to_ink(ink)
    img = img / img.max()
    out = Image.fromarray((img * 255).astype(np.uint8)).resize(size, Image.Resampling.BILINEAR)
    return np.asarray(out, dtype=float) / 255.0


def compare(drawn_ink: np.ndarray, text, font_path: Path | str = NOTO_ARABIC) -> dict:
    """MAD of a drawn label against the HarfBuzz reference of `text` and against its mirror."""
    ref = reference_image(text, font_path)
    ref = ref / ref.max()
    img = normalise(drawn_ink, (ref.shape[1], ref.shape[0]))
    mad = float(np.abs(img - ref).mean())
    mirror_mad = float(np.abs(img - ref[:, ::-1]).mean())
    return {"mad": mad, "mirror_mad": mirror_mad, "ratio": mad / mirror_mad if mirror_mad else np.inf}


def verdict(result: dict) -> bool:
    """True when a label is drawn as correctly shaped right-to-left Arabic."""
    return result["mad"] < MAD_MAX and result["ratio"] < RATIO_MAX


# ---------------------------------------------------------------- deliberately wrong strings

def visual_reversed(text: str) -> str:
    """The classic reshaped visual-order string (right only for renderers that do not shape)."""
    import arabic_reshaper
    from bidi.algorithm import get_display
    return get_display(arabic_reshaper.reshape(text))


def negative_controls(text: str, renderer_shapes: bool) -> dict[str, str]:
    """Strings that make a renderer draw `text` wrongly: mirrored glyph order, or unjoined LTR letters.

    A shaping renderer reverses the classic visual string and draws isolated letters left to right
    when given the reversed text with ZWNJ between letters; a non-shaping renderer draws
    the reshaped logical string reversed and the raw string unjoined left to right.
    """
    import arabic_reshaper
    if renderer_shapes:
        return {"reversed": visual_reversed(text), "unjoined": "\u200c".join(reversed(text))}
    return {"reversed": arabic_reshaper.reshape(text), "unjoined": text}


# ---------------------------------------------------------------- small tidy frames from the corpus

ARABIC_WORD = "[\u0621-\u064a]{3,}"   # bare Arabic letters, 3 or more, no diacritics


def corpus_term_counts(corpus_dir) -> "pandas.DataFrame":
    """Tidy `outlet, term, count, per_1k, doc_freq, tfidf, display` counted by a plain regex.

    Independent of the suite's tokenizer so chart tests don't depend on it; the group is the
    article's file-name prefix (000, 001, ...).
    """
    import re
    import pandas as pd

    rows = []
    for path in sorted(Path(corpus_dir).glob("*.txt")):
        words = re.findall(ARABIC_WORD, path.read_text(encoding="utf-8-sig"))
        rows += [(path.stem[:3], w) for w in words]
    tokens = pd.DataFrame(rows, columns=["outlet", "term"])
    freqs = tokens.value_counts().rename("count").reset_index()
    totals = freqs["outlet"].map(tokens.groupby("outlet").size())
    freqs["per_1k"] = freqs["count"] / totals * 1000
    freqs["doc_freq"] = 1
    freqs["tfidf"] = freqs["per_1k"]
    freqs["display"] = freqs["term"]
    return freqs.sort_values(["outlet", "count", "term"], ascending=[True, False, True],
                             ignore_index=True)
