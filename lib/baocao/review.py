"""The review annex of a draft (`--draft`): what a reviewer needs to trust the numbers before signing.

It lists the files the report was computed from (with a short hash, so a reviewer can tell which version of
each was used), every warning the data check raised, every number typed in prose that was compared with
the computed facts, and what still keeps the report from being signed. It exists only in drafts; the final document never carries it.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import Problem
from .markdown import escape
from .narrative import prose_files

TITLE = "# PHỤ LỤC RÀ SOÁT (CHỈ CÓ TRONG BẢN DỰ THẢO) {.unnumbered}"


def _short_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def sources(root: Path, paths: list[Path]) -> list[str]:
    """One line per input file: its path in the project and the start of its SHA-256."""
    files = sorted({f for p in paths for f in ([p] if p.is_file() else prose_files(p))})
    return [f"- {escape(str(f.relative_to(root) if f.is_relative_to(root) else f))}: sha256 {_short_hash(f)}"
            for f in files]


def annex(root: Path, paths: list[Path], warnings: list[Problem], claims: list[dict],
          readiness: list[Problem] = (), illustrative_reason: str = "") -> str:
    """The annex; `readiness` lists what still keeps the report from being signed (`baocao check --final`),
    `illustrative_reason` says in one line why it is marked «DỮ LIỆU MINH HỌA» ("" when it is not)."""
    def lines(problems: list[Problem], none: str) -> list[str]:
        return [f"- {escape(str(p.relative_to(root)))}" for p in problems] or [f"- {none}"]

    claim_lines = [f"- {escape(c['file'])}, dòng {c['line']}: «{escape(c['literal'])}» — số liệu tính được: "
                   f"{escape(str(c['computed']))} ({'khớp' if c['agrees'] else 'KHÔNG KHỚP'})" for c in claims]
    return "\n\n".join([
        TITLE,
        "**1. Nguồn dữ liệu**", "\n".join(sources(root, paths)),
        "**2. Cảnh báo khi kiểm tra dữ liệu**", "\n".join(lines(warnings, "Không có cảnh báo.")),
        "**3. Đối chiếu số liệu gõ tay trong văn bản**",
        "\n".join(claim_lines or ["- Không có số liệu gõ tay nào về tình hình gửi báo cáo."]),
        "**4. Trước khi trình ký** (" + escape("baocao check --final") + ")",
        *([escape(illustrative_reason)] if illustrative_reason else []),
        "\n".join(lines(list(readiness), "Không còn việc nào: báo cáo sẵn sàng trình ký.")),
    ])
