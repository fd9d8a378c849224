"""Saving charts: byte-reproducible PNG, SVG and PDF files (no timestamps, fixed SVG ids)."""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib as mpl

from arabnews import FIGURES_DIR
from arabnews.plots.style import FIGURES_ENV, SAVED_DPI

__all__ = ["save_figure"]

MAX_NAME_BYTES = 255   # the longest file name most file systems accept (ext4, APFS, NTFS)
_METADATA = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
             "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}}


def _figures_dir(directory: str | os.PathLike | None = None) -> Path:
    """Output folder: the argument, else $ARABNEWS_FIGURES_DIR, else the project's figures/."""
    chosen = directory or os.environ.get(FIGURES_ENV) or FIGURES_DIR
    return Path(chosen)


def save_figure(fig, name: str, formats=("png", "svg"), directory=None,
                dpi: int = SAVED_DPI) -> list[Path]:
    """Write `fig` as figures/NAME.<fmt> for each format, byte-reproducible (no timestamps)."""
    if hasattr(fig, "get_figure") and not isinstance(fig, mpl.figure.Figure):
        fig = fig.get_figure()
    if not isinstance(fig, mpl.figure.Figure):
        raise TypeError(f"save_figure expects a Figure or Axes, got {type(fig).__name__}")
    if not isinstance(name, str) or not name.strip() or Path(name).name != name:
        raise ValueError(f"name must be a bare file name without folders, got {name!r}")
    if len(name.encode("utf-8")) + len(".svg") > MAX_NAME_BYTES:
        raise ValueError(f"name is {len(name)} characters ({len(name.encode('utf-8'))} bytes); file names "
                         f"are limited to {MAX_NAME_BYTES} bytes with the extension, so shorten name")
    unknown = [f for f in formats if f not in _METADATA]
    if unknown:
        raise ValueError(f"unsupported format(s) {unknown}; choose from {sorted(_METADATA)}")
    folder = _figures_dir(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with mpl.rc_context({"svg.hashsalt": "arabnews", "pdf.fonttype": 42}):
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, dpi=dpi, metadata=_METADATA[fmt], facecolor="white")
            written.append(path)
    return written
