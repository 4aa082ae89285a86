"""A unit's own workspace, by convention: `data/<year>/<slug>/` overrides the shared province defaults file by
file, with no params edit.

A province's report reads the defaults every province shares (`params/<year>/tinh.yml`: the shared prose
folder, the per-province tables). When its workspace holds a file of a known name, that file is read instead:
- `prose/<item>.md` replaces the shared `<item>.md` (the other items keep the shared text), so Tây Ninh may
  write its own text, with its own placeholders, without touching what Hà Nội reads;
- a table named in `TABLES` (`so-theo-doi.csv` or `.xlsx`: see `readers.table_file`) becomes the `data.<key>`
  of that unit, unless the unit's own params file names that key (key-by-key overrides still win).
A unit's render, check and fingerprint read only its own workspace, so an edit there re-renders that unit
only and can break no other. `baocao new-unit` starts a workspace (`new_unit`).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .readers import table_candidates

if TYPE_CHECKING:
    from .params import Params

PROSE = "prose"
# data key → the table's stem in a workspace.
TABLES = {"indicators": "chi-so-tinh", "targets": "chi-tieu", "subunits": "so-theo-doi", "departments": "so-nganh",
          "rubric": "tieu-chi-cham-diem", "bands": "xep-loai", "scores": "cham-diem", "models": "mo-hinh-dan-van-kheo"}


def folder(root: Path, year: int, slug: str) -> Path:
    return root / "data" / str(year) / slug


def apply(raw: dict, root: Path, slug: str, own: dict) -> dict:
    """`raw` (a province's merged params) with each table found in the workspace as its `data.<key>`, unless
    `own` (the unit's own params file) names the key."""
    year = raw.get("year")
    data = raw.get("data")
    if not isinstance(year, int) or not isinstance(data, dict):
        return raw  # reported by validation
    own_data = own.get("data") if isinstance(own.get("data"), dict) else {}
    base = folder(root, year, slug)
    found = {key: (base / stem).relative_to(root).as_posix() for key, stem in TABLES.items()
             if key not in own_data and any(path.is_file() for path in table_candidates(base / stem))}
    return raw | {"data": data | found} if found else raw


def prose_files(shared: Path, own: Path | None) -> list[Path]:
    """The prose a unit reads: the shared folder's files, each replaced by the workspace file of the same name,
    and the workspace's files for items the shared folder has no file for."""
    from .narrative import prose_files as folder_files  # narrative reads params, which reads this module

    files = {path.name: path for path in folder_files(shared)}
    if own is not None:
        files |= {path.name: path for path in folder_files(own)}
    return [files[name] for name in sorted(files)]


def own_prose_folder(params: Params) -> Path | None:
    """The prose folder of the unit's own workspace; None for the national report, which has none."""
    return folder(params.root, params.year, params.unit) / PROSE if params.unit_record is not None else None


def unit_prose_files(params: Params) -> list[Path]:
    """What the report of `params` reads as prose: for a province, the shared prose with its own over it."""
    return prose_files(params.path(params.data.prose), own_prose_folder(params))


def scope(file: str, root: Path, year: int) -> str | None:
    """The unit whose workspace holds `file` (a path as a problem names it), or None for a shared file."""
    path = Path(file)
    path = path if path.is_absolute() else root / path
    base = root / "data" / str(year)
    try:
        parts = path.resolve().relative_to(base.resolve()).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 and (base / parts[0]).is_dir() and parts[0] not in SHARED_FOLDERS else None


SHARED_FOLDERS = {"tinh", PROSE}  # data/<year>/tinh/: the provinces' shared defaults; prose/: the national report's
