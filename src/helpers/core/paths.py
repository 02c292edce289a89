"""Where the project's folders are, so that code and notebooks agree on them."""
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]  # src/helpers/core/paths.py
RAW_DIR = PROJECT_ROOT / "data" / "raw"
# What the last check of data/raw found (helpers.build.interim); not committed.
INTERIM_DIR = PROJECT_ROOT / "data" / "interim"
# The benchmark and tests point notebooks at another dataset through this variable.
PROCESSED_DIR = Path(os.environ.get("HRT_PROCESSED_DIR") or PROJECT_ROOT / "data" / "processed")
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DOCS_DIR = PROJECT_ROOT / "docs"
