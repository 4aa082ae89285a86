"""Make zip-based outputs (DOCX) byte-identical across runs.

python-docx stamps every zip entry with the current time; rewriting the archive with the report's
own date as entry time (and fixed permissions) removes the only source of variation.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path


def normalize_zip(path: Path, date: dt.date) -> None:
    """Rewrite ``path`` in place with every entry dated ``date`` 00:00 and deflate-compressed."""
    stamp = (date.year, date.month, date.day, 0, 0, 0)
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name, payload in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, payload)
