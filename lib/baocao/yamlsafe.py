"""YAML typed by analysts (params files, the front matter of prose files), read without anchors and aliases.

An anchor (`&a`) and its aliases (`*a`) let ten short lines stand for a billion values (the "billion laughs"
bomb): PyYAML expands them while it builds Python objects, so one params file or one prose file's front matter
would exhaust the memory of every unit's render. Nothing the kit reads needs them, so they are refused with
the file and line before anything is built: the document is first scanned as a stream of parser events, which
expands nothing.
"""
from __future__ import annotations

from typing import Any

import yaml

from .errors import BaocaoError, Problem

class AliasRefused(BaocaoError):
    """An anchor or alias in analysts' YAML: a problem of that file's content, reported with its other problems."""


LOADER = yaml.SafeLoader  # callers that read many files pass libyaml's (`yaml.CSafeLoader`) or their own


def refuse_aliases(text: str, file: str, first_line: int = 1, loader: type = LOADER) -> None:
    """Raise when `text` defines an anchor or uses an alias; `first_line` is the file's line of the text's
    first line (front matter starts on line 2). A syntax error is left to the loader's own message."""
    for event in yaml.parse(text, Loader=loader):
        alias = isinstance(event, yaml.AliasEvent)
        if alias or getattr(event, "anchor", None):
            raise AliasRefused(Problem(
                file=file, row=event.start_mark.line + first_line, value=("*" if alias else "&") + event.anchor,
                message="YAML có neo hoặc bí danh («&tên», «*tên»), không được phép vì một dòng có thể thành "
                        "hàng tỷ giá trị: ghi đầy đủ giá trị ở từng chỗ cần dùng"))


def load(text: str, file: str, first_line: int = 1, loader: type = LOADER) -> Any:
    """`text` as Python values, once it is known to hold no anchor or alias (see `refuse_aliases`)."""
    refuse_aliases(text, file, first_line, loader)
    return yaml.load(text, Loader=loader)
