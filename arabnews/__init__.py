"""arabnews: the rooms behind helpers.py (corpus, cleaning, text, stats, entities, shaping, plots, report).

Notebooks import ``helpers``; each module here is importable and tested on its own.
"""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
PROJECT_DIR = PACKAGE_DIR.parent
CORPUS_DIR = PROJECT_DIR / "corpus"
FIGURES_DIR = PROJECT_DIR / "figures"
