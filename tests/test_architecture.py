"""The package follows the data: no module of a stage imports a later stage."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "helpers"
STAGES = ["core", "raw", "resolution", "build", "derive", "present", "publish"]
ENTRY_POINTS = {"pipeline", "status", "__main__"}  # run the stages; no stage imports them


def _module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str) -> set[str]:
    """Every module of the package that `path` imports, at the top or inside a function."""
    top = module.split(".")[0]
    here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[:len(here) - node.level + 1] + ([base] if base else []))
            found |= {base} | {f"{base}.{a.name}" for a in node.names}
    return {name for name in found if name.split(".")[0] == top}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def violations(package: Path) -> list[str]:
    """Each import of a later stage, or of an entry point, by a module of a stage."""
    found = []
    for path in sorted(package.rglob("*.py")):
        module = _module_name(path, package)
        stage = _stage(module)
        if stage is None or stage in ENTRY_POINTS:
            continue
        if stage not in STAGES:
            found.append(f"{module}: in no stage ({', '.join(STAGES)})")
            continue
        for target in sorted(_imports(path, module)):
            other = _stage(target)
            if other in ENTRY_POINTS or (other in STAGES
                                          and STAGES.index(other) > STAGES.index(stage)):
                found.append(f"{module} ({stage}) imports {target}")
    return found


def test_no_stage_imports_a_later_one():
    assert violations(PACKAGE) == []


def test_the_check_sees_imports_in_functions_relative_ones_and_entry_points(tmp_path):
    package = tmp_path / "helpers"
    for folder in ("core", "build", "publish", "misc"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "core" / "a.py").write_text("def f():\n    from helpers.publish import b\n")
    (package / "build" / "c.py").write_text("from ..publish import d\nfrom . import e\n")
    (package / "publish" / "f.py").write_text("import helpers.pipeline\nfrom helpers.core import a\n")
    assert violations(package) == [
        "helpers.build.c (build) imports helpers.publish",
        "helpers.build.c (build) imports helpers.publish.d",
        "helpers.core.a (core) imports helpers.publish",
        "helpers.core.a (core) imports helpers.publish.b",
        "helpers.misc: in no stage (core, raw, resolution, build, derive, present, publish)",
        "helpers.publish.f (publish) imports helpers.pipeline",
    ]
