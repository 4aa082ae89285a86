"""`make mutation`: mutmut on each module that decides what a reader sees, with only that module's tests.

mutmut 3 takes its settings from `[tool.mutmut]` of pyproject.toml and mutates everything its settings
name, testing each mutant with the tests that ran its function. To score each module against its own tests
(and to keep the run under half an hour on two cores), this runs mutmut once per module listed in
`[tool.baocao.mutation]` ("module path" = [its tests]), each in a copy of the project under
`.mutation/<module>/`: the copy's `[tool.mutmut]` is the project's plus `only_mutate` and the module's tests.
mutmut 3 names a mutant by its module path relative to the project, `src/` or `source/`, so the copy holds the
package under `src/`, which mutmut puts first on the tests' path. Commands the tests start (`python -m
baocao.cli`) import the unchanged `lib/`: mutated code outside mutmut's process cannot run (its trampolines
look for mutmut's settings in the scratch folder of the test), so only in-process tests kill mutants.
The copy stays, so `cd .mutation/<module> && ../../.venv/bin/mutmut browse` shows the survivors.

mutmut runs against a mutant only the tests that ran its function while it collected its statistics. A
module-scoped fixture (one report built for a whole test file) runs the code during the first test that uses
it, so the other tests using it would never be run against the mutants. This file is therefore also a pytest
plugin (`-p mutation`): at the end of the statistics run it ties each such function to every test sharing the
fixture. (Session fixtures of conftest.py render with the CLI, outside mutmut's process, and are left out.)

Usage: python tests/mutation.py [MODULE …] [--jobs N]   (default: every listed module, 2 jobs)
Prints, per module, the mutants, how many the tests killed, and the surviving mutants' names.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutation"
COPIED = [(name, name) for name in ("lib", "tests", "params", "data", "notebooks", "pyproject.toml")] + [("lib", "src")]


def settings() -> tuple[dict, dict[str, list[str]]]:
    """(the project's [tool.mutmut], module path → its tests)."""
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    return tool["mutmut"], tool["baocao"]["mutation"]


def toml_value(value) -> str:
    """TOML for the values mutmut settings use (strings, booleans, numbers, lists of strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


def module_config(common: dict, module: str, tests: list[str]) -> str:
    lines = ["[tool.mutmut]"] + [f"{key} = {toml_value(value)}" for key, value in common.items()
                                 if key != "pytest_add_cli_args"]
    lines += ['source_paths = ["src"]',
              f"pytest_add_cli_args = {toml_value(common.get('pytest_add_cli_args', []) + ['-p', 'mutation'])}",
              f"only_mutate = {toml_value([str(Path('src', *Path(module).parts[1:]))])}",
              f"pytest_add_cli_args_test_selection = {toml_value(tests)}"]
    return "\n".join(lines) + "\n"


def prepare(module: str, tests: list[str], common: dict) -> Path:
    """A fresh copy of the project whose mutmut settings mutate `module` and run `tests`."""
    work = WORK / Path(module).stem
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name, target in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / target, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
        else:
            shutil.copy2(source, work / target)
    pyproject = (work / "pyproject.toml").read_text(encoding="utf-8")
    pyproject = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", pyproject)
    (work / "pyproject.toml").write_text(pyproject.rstrip() + "\n\n" + module_config(common, module, tests),
                                         encoding="utf-8")
    return work


def run(module: str, tests: list[str], common: dict, jobs: int) -> dict:
    work = prepare(module, tests, common)
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(work / "lib"), str(work / "tests")])}
    mutmut = [sys.executable, "-m", "mutmut"]
    start = time.monotonic()
    with (work / "mutmut.log").open("w", encoding="utf-8") as log:
        subprocess.run(mutmut + ["run", "--max-children", str(jobs)], cwd=work, env=env, stdout=log,
                       stderr=subprocess.STDOUT, check=False)
        subprocess.run(mutmut + ["export-cicd-stats"], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT,
                       check=True)
    results = subprocess.run(mutmut + ["results"], cwd=work, env=env, capture_output=True, text=True, check=True)
    counts = json.loads((work / "mutants" / "mutmut-cicd-stats.json").read_text(encoding="utf-8"))
    not_killed = [line.strip() for line in results.stdout.splitlines() if ": " in line]
    return counts | {"module": module, "seconds": round(time.monotonic() - start), "not_killed": not_killed}


def report(row: dict) -> str:
    caught = row["killed"] + row["timeout"] + row["segfault"]
    score = caught / row["total"] * 100 if row["total"] else 100.0
    lines = [f"{row['module']}: {caught}/{row['total']} killed ({score:.1f} %), {row['survived']} survived, "
             f"{row['no_tests']} without a test, {row['seconds']} s"]
    return "\n".join(lines + [f"    {name}" for name in row["not_killed"]])


def pytest_sessionfinish(session) -> None:
    """After mutmut's statistics run: a function run by a test that uses a module-scoped fixture of its test
    file is tied to every test using that fixture (the fixture ran the function once, for all of them)."""
    if os.environ.get("MUTANT_UNDER_TEST") != "stats":
        return
    from mutmut.state import state

    sharing = defaultdict(set)  # (test file, fixture) → the tests using it
    for item in session.items:
        path = item.nodeid.split("::")[0]
        for name, definitions in item._fixtureinfo.name2fixturedefs.items():
            if definitions[-1].scope != "function" and definitions[-1].baseid == path:
                sharing[path, name].add(item.nodeid)
    groups = defaultdict(set)  # test → every test sharing one of its file's fixtures with it
    for tests in sharing.values():
        for test in tests:
            groups[test] |= tests
    for tests in state().tests_by_mangled_function_name.values():
        tests |= set().union(*(groups[test] for test in list(tests)))


def main(argv: list[str] | None = None) -> int:
    common, modules = settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="module paths or names (vnformat, render/docx_layout)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    chosen = [m for m in modules if not args.modules or any(m.endswith(f"{name.removesuffix('.py')}.py")
                                                              for name in args.modules)]
    rows = []
    for module in chosen:
        rows.append(run(module, modules[module], common, args.jobs))
        print(report(rows[-1]), flush=True)
    summary = WORK / "summary.json"
    earlier = json.loads(summary.read_text(encoding="utf-8")) if summary.exists() else []
    rows += [row for row in earlier if row["module"] not in chosen]
    summary.write_text(json.dumps(sorted(rows, key=lambda row: list(modules).index(row["module"])),
                                  ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
