"""`python -m helpers export` takes subcommands (figures, stix, timelinejs, sqlite, release);
with none, it exports the figures as before."""
from __future__ import annotations

from helpers.core.frames import load_dataset
from helpers.publish import export
from helpers.publish.exports import stix

DATA = load_dataset()


# --- the command line --------------------------------------------------------------------

def test_export_subcommands(tmp_path, capsys):
    assert export.main(["stix", "--out", str(tmp_path)]) == 0
    assert (tmp_path / stix.FILE_NAME).is_file()
    assert export.main(["release", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"hospital-ransomware-timelines-{DATA.version}.zip" in out
    assert set(export.SUBCOMMANDS) == {"stix", "timelinejs", "sqlite", "release"}


def test_figures_stay_the_default(monkeypatch):
    calls = []
    monkeypatch.setattr(export, "figures_main", lambda argv: calls.append(list(argv)) or 0)
    assert export.main(["--out", "x"]) == 0 and export.main(["figures", "--out", "y"]) == 0
    assert calls == [["--out", "x"], ["--out", "y"]]
