"""Static export: real SVG/PNG/PDF files from one browser session, and the no-browser error.

The export tests need a Chromium-based browser (CI installs `chromium`). Without one they
FAIL, so that CI proves the export works; set HRT_ALLOW_NO_BROWSER=1 to skip them instead.
"""
from __future__ import annotations

import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

import kaleido
import pytest

from helpers.core.frames import load_dataset
from helpers.present.figures import comparison_figure, delay_figure
from helpers.publish import export
from helpers.publish.export import (
    PRINT_SCALE,
    WEB_WIDTH,
    StaticExportUnavailable,
    export_figures,
    export_for_articles,
    main,
    standard_figures,
)

pytestmark = pytest.mark.integration

ALLOW_NO_BROWSER = os.environ.get("HRT_ALLOW_NO_BROWSER") == "1"


@pytest.fixture(scope="module")
def figures():
    data = load_dataset()
    return {"comparison": comparison_figure(data), "delays": delay_figure(data)}


@pytest.fixture(scope="module")
def exported(figures, tmp_path_factory):
    """Every figure in every format, in one export call; counts the browser sessions."""
    out = tmp_path_factory.mktemp("figures")
    sessions = []

    class CountingKaleido(kaleido.Kaleido):
        def __init__(self, *args, **kwargs):
            sessions.append(kwargs)
            super().__init__(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kaleido, "Kaleido", CountingKaleido)
        try:
            paths = export_for_articles(figures, out)
        except StaticExportUnavailable as exc:
            if ALLOW_NO_BROWSER:
                pytest.skip(f"no browser and HRT_ALLOW_NO_BROWSER=1: {exc}")
            pytest.fail(f"static export must work here (set HRT_ALLOW_NO_BROWSER=1 to "
                        f"skip): {exc}")
    return out, paths, sessions


def test_one_browser_session_for_all_files(exported):
    out, paths, sessions = exported
    assert len(sessions) == 1
    assert sorted(p.name for p in paths) == sorted(
        f"{name}{suffix}" for name in ("comparison", "delays")
        for suffix in (".svg", ".pdf", "-web.png", "-print.png"))
    # Atomic writes leave no temporary files behind.
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, chunk = struct.unpack(">I4s", data[8:16])
    assert chunk == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("name", ["comparison", "delays"])
def test_png_for_web_and_print(exported, figures, name):
    height = figures[name].layout.height
    assert _png_size(exported[0] / f"{name}-web.png") == (WEB_WIDTH, height)
    assert _png_size(exported[0] / f"{name}-print.png") == (WEB_WIDTH * PRINT_SCALE,
                                                            height * PRINT_SCALE)


@pytest.mark.parametrize("name", ["comparison", "delays"])
def test_svg_carries_title_and_source_line(exported, name):
    root = ET.parse(exported[0] / f"{name}.svg").getroot()
    assert root.tag.rsplit("}", 1)[-1] == "svg"
    text = " ".join(root.itertext())
    assert "Source: Hospital ransomware timelines" in text
    assert ("unfolded" in text) if name == "comparison" else ("How many days" in text)
    assert "Les Bluets maternity" in text or "Maternité des Bluets" in text or "Paris" in text


@pytest.mark.parametrize("name", ["comparison", "delays"])
def test_pdf_is_valid(exported, name):
    data = (exported[0] / f"{name}.pdf").read_bytes()
    assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]


def test_standard_figures_are_the_comparisons_and_the_delay_plot():
    assert list(standard_figures(load_dataset())) == [
        "comparison-les-bluets-cannes", "comparison-all-cases", "delays-across-cases"]


# --- without a browser ------------------------------------------------------------------

def test_no_browser_raises_project_error(figures, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "find_browser", lambda: None)
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    with pytest.raises(StaticExportUnavailable) as info:
        export_figures(figures, tmp_path)
    assert isinstance(info.value, RuntimeError)
    assert "apt-get install chromium" in str(info.value)
    assert "no Chromium-based browser was found" in str(info.value)
    assert not list(tmp_path.iterdir())


def test_bad_browser_path_is_reported(figures, tmp_path, monkeypatch):
    # A real lookup (no monkeypatched function): BROWSER_PATH overrides PATH and the usual places.
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chrome"))
    assert export.find_browser() is None
    with pytest.raises(StaticExportUnavailable, match="BROWSER_PATH="):
        export_figures(figures, tmp_path / "out", formats=["png"])
    with pytest.raises(StaticExportUnavailable, match="BROWSER_PATH="):
        export_for_articles(figures, tmp_path / "out2")


def test_cli_prints_message_and_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(export, "find_browser", lambda: None)
    assert main(["--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Static export") and "apt-get install chromium" in err
    assert "Traceback" not in err


def test_module_cli_without_browser_has_no_traceback(tmp_path):
    env = {**os.environ, "BROWSER_PATH": str(tmp_path / "missing")}
    result = subprocess.run([sys.executable, "-m", "helpers", "export", "--out",
                             str(tmp_path / "out")],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "apt-get install chromium" in result.stderr and "Traceback" not in result.stderr


# --- inputs and atomic writes -------------------------------------------------------------

def test_bad_format_and_name(figures, tmp_path):
    with pytest.raises(ValueError, match="unknown format"):
        export_figures(figures, tmp_path, formats=("gif",))
    with pytest.raises(ValueError, match="file stems"):
        export_figures({"../escape": figures["comparison"]}, tmp_path)


def test_write_atomic_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "fig.png"
    export._write_atomic(target, b"old")
    with pytest.raises(TypeError):
        export._write_atomic(target, "not bytes")  # fails while writing
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["fig.png"]
