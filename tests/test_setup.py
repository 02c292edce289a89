"""The project's set-up files agree with one another."""
from __future__ import annotations

import re
import tomllib

import yaml

from helpers.core.paths import PROJECT_ROOT

# conda-forge names that differ from PyPI's.
CONDA_TO_PYPI = {"python-kaleido": "kaleido"}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[_canonical(name)] = version.strip()
    return pins


def _requirement_name(requirement: str) -> str:
    return _canonical(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0])


def test_every_dependency_is_pinned():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [r for group in project["optional-dependencies"].values()
                                        for r in group]
    pins = _pins()
    missing = [r for r in wanted if _requirement_name(r) not in pins]
    assert not missing, f"not pinned in constraints.txt: {missing}"


def test_environment_yml_lists_the_same_packages_at_the_pinned_versions():
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    conda = {}
    for item in env["dependencies"]:
        if isinstance(item, str) and "=" in item and not item.startswith("python="):
            name, version = item.split("=", 1)
            conda[_canonical(CONDA_TO_PYPI.get(name, name))] = version
    pins = _pins()
    assert conda, "environment.yml lists no packages"
    for name, version in conda.items():
        assert pins.get(name) == version, f"{name}: environment.yml {version}, pins {pins.get(name)}"
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    direct = {_requirement_name(r) for r in project["dependencies"]}
    direct |= {_requirement_name(r) for group in project["optional-dependencies"].values()
               for r in group}
    assert direct <= set(conda), f"missing from environment.yml: {sorted(direct - set(conda))}"


def test_dataset_version_agrees_across_metadata_changelog_and_citation():
    """The latest released CHANGELOG entry (an "Unreleased" one at the top is work in
    progress) is the version of dataset.yaml and CITATION.cff: python -m helpers version."""
    from helpers.publish.version import check, released_version

    assert check() == [], "run python -m helpers version <version> (see README, step 6)"
    dataset = yaml.safe_load((PROJECT_ROOT / "data" / "raw" / "dataset.yaml").read_text())
    citation = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text())
    latest = released_version((PROJECT_ROOT / "CHANGELOG.md").read_text())
    assert dataset["version"] == citation["version"] == latest
    assert citation["type"] == "dataset"


def test_ci_runs_the_readme_test_command():
    readme = (PROJECT_ROOT / "README.md").read_text()
    commands = re.findall(r"^(make\S*(?: \S+)?)\s+#", readme, re.MULTILINE)
    assert "make test" in commands and "make" in commands
    ci = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd "))] \
        == ["make test"]


def test_readme_coverage_tables_are_generated_from_the_dataset():
    from helpers.publish.readme import main

    assert main(["--check"]) == 0, "run make data (python -m helpers readme)"
    assert "../shared" not in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert (PROJECT_ROOT / "docs" / "figures" / "les-bluets-cannes.png").is_file()
