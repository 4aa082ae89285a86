"""Project hygiene a reviewer relies on: the notebook is committed clean, conda and pip agree."""
from __future__ import annotations

import json
import re
import tomllib

import yaml

from conftest import ROOT


def test_notebook_is_committed_without_outputs_and_has_a_parameters_cell():
    notebook = json.loads((ROOT / "notebooks" / "bao_cao.ipynb").read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    assert "parameters" in code[0]["metadata"].get("tags", [])
    assert all(c["metadata"].get("jupyter", {}).get("source_hidden") for c in code[1:])


def _requirement(text: str) -> tuple[str, str]:
    name, spec = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", text.strip()).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_is_in_step_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_side = dict(_requirement(r) for r in project["dependencies"])
    for extra in project["optional-dependencies"].values():
        pip_side.update(_requirement(r) for r in extra)
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))["dependencies"]
    conda_side = {}
    for item in env:
        for requirement in item["pip"] if isinstance(item, dict) else [item]:
            conda_side.update([_requirement(requirement)])
    conda_side.pop("pip"), conda_side.pop("python")
    assert conda_side == pip_side


def test_the_readme_module_table_names_every_module():
    row = next(line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
               if line.startswith("| `lib/baocao/` |"))
    modules = {path.stem for path in (ROOT / "lib" / "baocao").glob("*.py") if path.stem != "__init__"} | {"render/"}
    assert {name for name in modules if f"`{name}`" not in row} == set()


def test_ci_installs_the_layout_clients_and_requires_them():
    """In CI no layout test may skip: .ci/run installs LibreOffice and poppler, and sets
    BAOCAO_REQUIRE_CLIENTS=1 (a missing client fails the test, see conftest.require) before the suite."""
    from conftest import APT_PACKAGES

    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    install = next(i for i, line in enumerate(lines) if "apt-get install" in line)
    assert set(APT_PACKAGES.values()) <= set(lines[install].split())
    required = lines.index("export BAOCAO_REQUIRE_CLIENTS=1")
    assert required < next(i for i, line in enumerate(lines) if line.strip() == "make test")
