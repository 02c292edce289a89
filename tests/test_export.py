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

from helpers import export
from helpers.export import StaticExportUnavailable, export_figures, main
from helpers.synthetic import example_tables
from helpers.timeline import aligned_figure, calendar_figure

ALLOW_NO_BROWSER = os.environ.get("HRT_ALLOW_NO_BROWSER") == "1"


@pytest.fixture(scope="module")
def figures():
    data = example_tables()
    return {"calendar": calendar_figure(data.events, data.cases),
            "aligned": aligned_figure(data.events, data.cases)}


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
            paths = export_figures(figures, out, formats=("svg", "png", "pdf"))
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
        f"{name}.{fmt}" for name in ("calendar", "aligned") for fmt in ("svg", "png", "pdf"))
    # Atomic writes leave no temporary files behind.
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)


@pytest.mark.parametrize("name", ["calendar", "aligned"])
def test_png_is_valid(exported, figures, name):
    data = (exported[0] / f"{name}.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, chunk = struct.unpack(">I4s", data[8:16])
    assert chunk == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    assert width > 0 and height > 0
    assert (width, height) == (1200, figures[name].layout.height)  # default width, own height


@pytest.mark.parametrize("name", ["calendar", "aligned"])
def test_svg_is_valid(exported, name):
    root = ET.parse(exported[0] / f"{name}.svg").getroot()
    assert root.tag.rsplit("}", 1)[-1] == "svg"
    assert "les-bluets-2022" in ET.tostring(root, encoding="unicode")


@pytest.mark.parametrize("name", ["calendar", "aligned"])
def test_pdf_is_valid(exported, name):
    data = (exported[0] / f"{name}.pdf").read_bytes()
    assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]


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


def test_cli_prints_message_and_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(export, "find_browser", lambda: None)
    assert main(["--example", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Static export") and "apt-get install chromium" in err
    assert "Traceback" not in err


def test_module_cli_without_browser_has_no_traceback(tmp_path):
    env = {**os.environ, "BROWSER_PATH": str(tmp_path / "missing")}
    result = subprocess.run([sys.executable, "-m", "helpers.export", "--example", "--out",
                             str(tmp_path / "out"), "--formats", "png"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "apt-get install chromium" in result.stderr and "Traceback" not in result.stderr


# --- inputs and atomic writes -------------------------------------------------------------

def test_bad_format_and_name(figures, tmp_path):
    with pytest.raises(ValueError, match="unknown format"):
        export_figures(figures, tmp_path, formats=("gif",))
    with pytest.raises(ValueError, match="file stems"):
        export_figures({"../escape": figures["calendar"]}, tmp_path)


def test_write_atomic_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "fig.png"
    export._write_atomic(target, b"old")
    with pytest.raises(TypeError):
        export._write_atomic(target, "not bytes")  # fails while writing
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["fig.png"]
