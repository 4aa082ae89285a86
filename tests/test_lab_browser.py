"""The master notebook in a real JupyterLab, driven through its UI in headless Chromium, as an analyst uses it.

`jupyter lab --no-browser` serves a scratch copy of the project on a free port with a token; Playwright (from
PyPI, without its own browsers) drives Debian's `chromium`: open notebooks/bao_cao.ipynb, Run → Run All
Cells, and read what the page shows. Without Chromium the test skips, unless BAOCAO_REQUIRE_CLIENTS=1 (CI),
where a missing client is a failure (`.ci/run` installs it).
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import copy_project

RUN_TIMEOUT_MS = 300_000  # Run All of the national report on 2 busy cores (a cold kernel, charts, PDF)


def require(what: str, found: object, install: str) -> None:
    """Skip with the reason when a client is missing; fail instead where clients are required (CI)."""
    if found:
        return
    reason = f"Thiếu {what} ({install})"
    if os.environ.get("BAOCAO_REQUIRE_CLIENTS") == "1":
        pytest.fail(reason + " trong khi BAOCAO_REQUIRE_CLIENTS=1")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """(URL of the notebook with its token, project folder) of a JupyterLab serving a copy of the project;
    the server and its kernels are stopped afterwards."""
    require("JupyterLab", _has("jupyterlab"), "pip install -e '.[test]'")
    project = copy_project(tmp_path / "project")
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path / "jupyter"  # settings, workspaces and runtime files of this server only
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    # Every cell in the page (Lab leaves cells far out of view out of the page until scrolled to), no news toast.
    for plugin, settings in (("notebook-extension/tracker", '{"windowingMode": "none"}'),
                             ("apputils-extension/notification", '{"fetchNews": "false"}')):
        file = home / "settings" / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(settings, encoding="utf-8")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={project}", "--ServerApp.port_retries=0",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly", *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI runs as root
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "lab.log").open("wb"),
        start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/api/status?token={token}", server, tmp_path / "lab.log")
        yield f"{base}/lab/tree/notebooks/bao_cao.ipynb?token={token}", project
    finally:
        _stop(server)


def _stop(server: subprocess.Popen) -> None:
    """The server's own process group (it started in a session of its own): the server and its kernels."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _wait_until_up(url: str, server: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab dừng khi khởi động:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"JupyterLab không phản hồi sau {timeout:.0f} giây:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def browser():
    chromium = shutil.which("chromium")
    require("Chromium", chromium, "gói Debian chromium")
    require("Playwright", _has("playwright"), "pip install -e '.[test]'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True,
                                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield launched
        finally:
            launched.close()


def _image_size(image) -> tuple[int, int, float]:
    """(natural width, natural height, shown width) of an image once scrolled to and decoded."""
    image.scroll_into_view_if_needed()
    return image.evaluate("async img => { await img.decode(); "
                          "return [img.naturalWidth, img.naturalHeight, img.getBoundingClientRect().width]; }")


def test_run_all_in_jupyterlab_shows_the_report(lab, browser):
    url, project = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)  # the kernel started and answers
    page.locator(".jp-Notebook .jp-Cell").first.click()  # the notebook is the active document
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()

    pages = page.locator(".jp-OutputArea-output .bc-pages img")
    pages.first.wait_for(state="attached", timeout=RUN_TIMEOUT_MS)  # the last cell's output: all cells ran
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)

    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.all_inner_texts()
    assert page.locator("section.bc-section", has_text="41/63").count() >= 1  # computed, in rendered prose
    stages = page.locator(".bc-stages").inner_text()  # the staged build, the one check of `baocao check`
    assert "Đọc dữ liệu" in stages and "Kiểm tra như «baocao check» (checks): 0 lỗi, 2 cảnh báo về dữ liệu" in stages
    width, height, shown = _image_size(page.locator("figure.bc-chart img").first)
    assert width > 0 and height > 0 and shown > 0
    width, height, shown = _image_size(pages.first)
    assert width > 0 and height > width and shown > 0  # an A4 page, upright
    beside = page.locator("section.bc-section[data-item='ung-dung-cntt']")
    assert "Kết quả đẩy mạnh ứng dụng công nghệ thông tin" in beside.locator(".bc-heading").inner_text()
    assert "tử số/mẫu số cho 49,24" in beside.locator(".bc-problem.bc-warning").inner_text()
    assert (project / "outputs" / "2024" / "toan-quoc" / "bao-cao.pdf").is_file()  # the project's outputs/
