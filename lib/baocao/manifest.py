"""What a unit's outputs were made from, so that a re-run can skip a unit whose inputs did not change.

Each unit folder holds `manifest.json`: the parameters, a hash of every input the unit reads, the versions
of the package and of the tools, and one `key` over all of it. A unit is fresh when its recorded key equals
the key of the current inputs, its last run succeeded and the outputs it listed are still there.

A province's report reads only its own row of the register, so only that row is hashed: an edit to another
province's row leaves it fresh. The national report reads the whole register and hashes the whole file.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import platform
from dataclasses import dataclass, field
from pathlib import Path

from . import atomic
from .anchors import ANCHORS_NAME
from .errors import WARNING, Problem
from .filecache import by_file
from .options import RenderOptions
from .params import PROVINCE_DEFAULTS, Params
from .readers import read_sheets, table_file
from .workspace import unit_prose_files
from .units import UnitNameError, UnitRegistry

MANIFEST_NAME = "manifest.json"
PACKAGE_DIR = Path(__file__).resolve().parent
TOOLS = ("baocao", "papermill", "nbclient", "ipykernel", "pandas", "jinja2", "pypandoc-binary", "typst")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@by_file  # a batch hashes the shared prose, notebook and tables once per unit: read each once
def file_hash(path: Path) -> str:
    return _sha256(Path(path).read_bytes())


def folder_hash(folder: Path, pattern: str = "**/*") -> str:
    """One hash over the names and contents of every file below `folder` (a missing folder hashes as empty)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).glob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + file_hash(path).encode() + b"\0")
    return digest.hexdigest()


def files_hash(files: list[Path]) -> str:
    """One hash over the names and contents of `files` (a unit's prose: shared files and its own)."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + file_hash(path).encode() + b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)
def _register_rows(content_hash: str, path: str, year: int) -> dict[str, str]:
    """slug → hash of that unit's row, read once per register content (the hash is part of the cache key)."""
    from .register import load_register  # pandas and pandera: only when a unit's own row is hashed

    rows = {}
    for record in load_register(Path(path), year)[0].drop(columns=["row"]).to_dict("records"):
        rows[record["slug"]] = _sha256(json.dumps(record, ensure_ascii=False, sort_keys=True, default=str).encode())
    return rows


def register_hash(path: Path, year: int, unit: str | None) -> str:
    """The whole file's hash (unit None: the national report), or only the hash of `unit`'s row."""
    whole = file_hash(path)
    if unit is None:
        return whole
    return _register_rows(whole, str(path), year).get(unit, "absent")


@functools.cache
def package_hash() -> str:
    """Code, templates, unit lists and fonts of the installed package: a change to any re-renders all."""
    return folder_hash(PACKAGE_DIR)


def renderer_versions() -> dict[str, str]:
    """pandoc and Typst versions from `baocao.render` when that module is present."""
    try:
        from .render import renderer_versions as versions
    except ImportError:
        return {}
    return dict(versions())


def environment() -> dict[str, str]:
    """Versions that change what a render produces; read once per batch."""
    versions = {"python": platform.python_version()}
    for name in TOOLS:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions | renderer_versions()


@dataclass(frozen=True)
class Fingerprint:
    """Hashes of one unit's inputs, the versions in force and the render options; `key` changes when any
    of them does (the options as a whole object: see `baocao.options`)."""

    inputs: dict[str, dict[str, str]]
    versions: dict[str, str]
    parameters: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)  # RenderOptions.as_dict()

    @property
    def key(self) -> str:
        hashes = {name: entry["sha256"] for name, entry in self.inputs.items()}
        return _sha256(json.dumps([hashes, self.versions, self.options], sort_keys=True).encode())


@functools.lru_cache(maxsize=8)
def _unit_table_rows(content_hash: str, path: str, year: int) -> dict[str, str]:
    """unit name → hash of that unit's rows in a shared per-unit table (first column «Đơn vị»)."""
    registry, rows = UnitRegistry.load(), {}
    for row in read_sheets(Path(path))[0].rows[1:]:
        try:
            name = registry.resolve(str(row[0] or ""), "province", year).name
        except UnitNameError:
            name = ""  # an unreadable name counts for every unit: the render will report it
        rows.setdefault(name, []).append(row)
    return {name: _sha256(json.dumps(r, ensure_ascii=False, default=str).encode()) for name, r in rows.items()}


def unit_table_hash(path: Path, year: int, unit: str) -> str:
    table = _unit_table_rows(file_hash(path), str(path), year)
    return _sha256((table.get(unit, "absent") + table.get("", "")).encode())


def _params_files(params: Params) -> list[Path]:
    """The params file, the province defaults it builds on and the shared outline it names."""
    files = [params.source, params.source.parent / PROVINCE_DEFAULTS, params.outline_source]
    return sorted({f.resolve() for f in files if f.is_file()})


_SCOPED = ("indicators", "targets")  # tables of every unit, of which a unit's report reads its own rows


def fingerprint(params: Params, notebook: Path, national: bool, versions: dict[str, str],
                parameters: dict, options: RenderOptions = RenderOptions()) -> Fingerprint:
    """Hash what this unit's render reads: its params files, the register (a province: its own row), the
    indicator and target tables (a province: its own rows), prose, the master notebook and the package; and
    last year's files it compares with, whole: a merged unit reads the rows of all its forerunners."""
    data = params.data
    unit = params.unit_record
    inputs = {
        "params": {"path": str(params.source),
                   "sha256": _sha256("".join(file_hash(f) for f in _params_files(params)).encode())},
        "prose": {"path": str(params.path(data.prose)), "sha256": files_hash(unit_prose_files(params))},
        "notebook": {"path": str(notebook), "sha256": file_hash(notebook)},
        "package": {"path": str(PACKAGE_DIR), "sha256": package_hash()},
    }
    if data.submissions is not None:
        register = table_file(params.path(data.submissions))
        inputs["register"] = {"path": str(register), "scope": "file" if national else f"row:{params.unit}",
                              "sha256": register_hash(register, params.year, None if national else params.unit)}
    for name in _SCOPED:
        relative = getattr(data, name, None)
        if relative is None:
            continue
        path = table_file(params.path(relative))
        scoped = unit is not None
        inputs[name] = {"path": str(path), "scope": f"rows:{params.unit}" if scoped else "file",
                        "sha256": unit_table_hash(path, params.year, unit.name) if scoped else file_hash(path)}
    whole = {name: relative for name, relative in data.files.items() if name not in ("submissions", *_SCOPED, "prose")}
    if params.compare is not None:
        whole |= {f"compare.{name}": relative for name, relative in params.compare.files.items()}
    for name, relative in whole.items():  # a province's own register, scoring and models; last year's files
        path = table_file(params.path(relative))
        inputs[name] = {"path": str(path), "scope": "file", "sha256": file_hash(path)}
    return Fingerprint(inputs=inputs, versions=versions, parameters=parameters, options=options.as_dict())


def read(outdir: Path) -> dict | None:
    """The recorded run of `outdir`, or None when there is none or it cannot be used (see `damaged`)."""
    try:
        recorded = json.loads((outdir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, a folder, unreadable, not UTF-8, not JSON
        return None
    if not (isinstance(recorded, dict) and isinstance(recorded.get("key"), str)
            and isinstance(recorded.get("outputs"), list) and all(map(_output_name, recorded["outputs"]))):
        return None
    return recorded


def _output_name(name) -> bool:
    """A name the kit writes (`bao-cao.pdf`, `figures/x.png`): relative, never leaving the unit's folder."""
    return isinstance(name, str) and bool(name) and not Path(name).is_absolute() and ".." not in Path(name).parts


def damaged(outdir: Path) -> Problem | None:
    """A warning when `outdir` has a manifest that cannot be read: it counts as no manifest, so the unit is
    rendered again (a manifest edited by hand, or truncated by a tool that does not write atomically)."""
    path = outdir / MANIFEST_NAME
    if not path.exists() and not path.is_symlink() or read(outdir) is not None:
        return None
    return Problem(file=str(path), severity=WARNING,
                   message="tệp manifest.json hỏng hoặc không đọc được: coi như chưa có, đơn vị được kết xuất lại")


def outputs(outdir: Path) -> list[str]:
    """The outputs the last recorded run of `outdir` listed (none without a usable manifest)."""
    recorded = read(outdir)
    return list(recorded["outputs"]) if recorded else []


def is_fresh(outdir: Path, fp: Fingerprint) -> bool:
    recorded = read(outdir)
    return (recorded is not None and recorded.get("status") == "ok" and recorded.get("key") == fp.key
            and all((outdir / name).is_file() for name in recorded["outputs"]))


def _take_anchors(outdir: Path) -> dict:
    """The anchors the notebook wrote beside the outputs (`baocao.anchors`), removed: the manifest keeps them."""
    path = outdir / ANCHORS_NAME
    try:
        anchors = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    path.unlink()
    return anchors if isinstance(anchors, dict) else {}


def anchors(outdir: Path) -> dict:
    """Bookmark → where that paragraph of the DOCX came from, as the last run of `outdir` recorded it."""
    recorded = read(outdir) or {}
    return recorded.get("anchors") if isinstance(recorded.get("anchors"), dict) else {}


def write(outdir: Path, fp: Fingerprint, status: str, seconds: float, outputs: list[str], error: str = "") -> Path:
    """Record the run; written last, so a manifest saying "ok" means every listed output was written. The
    anchors of the DOCX's paragraphs move into it (see `baocao.anchors`)."""
    outputs = [name for name in outputs if name != ANCHORS_NAME]
    record = {"status": status, "key": fp.key, "seconds": round(seconds, 3), "outputs": outputs, "error": error,
              "parameters": fp.parameters, "inputs": fp.inputs, "versions": fp.versions,
              "anchors": _take_anchors(outdir)}
    return atomic.write_text(outdir / MANIFEST_NAME, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
