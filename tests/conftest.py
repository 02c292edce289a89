"""Shared fixtures: copies of raw data that a test may break without touching the real one."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml

TESTS = Path(__file__).resolve().parent
MINI_RAW = TESTS / "fixtures" / "mini_raw"
BAD_FIXTURES = TESTS / "fixtures" / "bad"
# mini_raw's stored source, and its disclosure event as its annotation file writes it: the
# annotator's tests take it out, then add it back through the form or the helpers.
MINI_SOURCE = "test-article"
MINI_DISCLOSURE = '''  - id: test-article-disclosure
    case: testville-2023
    type: disclosure
    event_key: disclosure
    status: stated_by_victim
    quote: "un communiqué publié le 6 mars"
    date_text: "le 6 mars"
    summary: The hospital discloses the attack.
'''

# Debian's chromium, driven by Playwright (its own browser download does not work here).
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def need_browser() -> None:
    """Fail (not skip) without chromium: CI must prove the browser tests ran."""
    if CHROMIUM.exists():
        return
    message = (f"Chromium not found at {CHROMIUM}: install Debian's chromium "
               "(scripts/install-system-deps.sh, run by make) to run the browser tests")
    if os.environ.get("HRT_ALLOW_NO_BROWSER") == "1":
        pytest.skip(message + " (skipped: HRT_ALLOW_NO_BROWSER=1)")
    pytest.fail(message)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module."""
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def copy_raw(source: Path, project: Path) -> Path:
    """Lay `source` out as `project/data/raw`, the shape the builder expects."""
    raw = project / "data" / "raw"
    shutil.copytree(source, raw)
    return raw


def without_event(raw: Path, block: str = MINI_DISCLOSURE, source_id: str = MINI_SOURCE) -> str:
    """Take an event out of a source's annotation file by hand, as an annotator would;
    return the file's original text."""
    path = raw / "annotations" / f"{source_id}.yaml"
    original = path.read_text(encoding="utf-8")
    assert block in original
    path.write_text(original.replace(block, ""), encoding="utf-8")
    return original


def apply_edit(raw: Path, edit: dict | list) -> None:
    """Apply a catalogue fixture's edit (or list of edits, in order) to a raw folder.

    An edit changes one `file`: `content` replaces it, `replace` swaps texts in it, `append`
    adds to it, `latin1` re-encodes it, `update_sha256` records its new digest in a source's
    metadata; or it runs the scaffold: `scaffold: [source, <id>, --case, ...]`."""
    if isinstance(edit, list):
        for item in edit:
            apply_edit(raw, item)
        return
    if "scaffold" in edit:
        from helpers.raw.scaffold import main

        assert main(["--raw", str(raw), *edit["scaffold"]]) == 0
        return
    path = raw / edit["file"]
    if "content" in edit:
        path.write_text(edit["content"], encoding="utf-8")
    if "replace" in edit:
        text = path.read_text(encoding="utf-8")
        for old, new in edit["replace"]:
            assert old in text, f"fixture edit does not apply: {old!r} not in {edit['file']}"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    if "append" in edit:
        with path.open("a", encoding="utf-8") as stream:
            stream.write(edit["append"])
    if edit.get("latin1"):
        path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", "replace"))
    if "update_sha256" in edit:
        meta = raw / edit["update_sha256"]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        text = meta.read_text(encoding="utf-8")
        old = next(line for line in text.splitlines() if line.startswith("sha256:"))
        meta.write_text(text.replace(old, f"sha256: {digest}"), encoding="utf-8")


def bad_fixtures() -> list[tuple[str, dict]]:
    return [(p.stem, yaml.safe_load(p.read_text(encoding="utf-8")))
            for p in sorted(BAD_FIXTURES.glob("*.yaml"))]


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    copy_raw(MINI_RAW, tmp_path)
    return tmp_path


def synthetic_project(root: Path, n_cases: int, seed: int = 0) -> Path:
    """bench/synthetic_raw.py's raw dataset of `n_cases` in `root`, built by the pipeline
    into root/data/processed (the one generator of synthetic data; the real build)."""
    import sys

    sys.path.insert(0, str(TESTS.parent / "bench"))
    try:
        import synthetic_raw
    finally:
        sys.path.remove(str(TESTS.parent / "bench"))
    from helpers.pipeline import build

    synthetic_raw.generate(root, n_cases, seed=seed)
    build(root / "data" / "raw", root / "data" / "processed", root)
    return root / "data" / "processed"


@pytest.fixture(scope="session")
def synthetic_30(tmp_path_factory):
    """A synthetic dataset of 30 cases, as loaded from its data/processed."""
    from helpers.core.frames import load_dataset

    return load_dataset(synthetic_project(tmp_path_factory.mktemp("synthetic"), 30, seed=3))
