"""Benchmark: how fast the Streamlit demo shows its first page (target: under 2 s after start-up).

Bakes the default project, trains, starts `make demo`, waits for Streamlit's health endpoint
(start-up), then times headless Chromium from navigation until the Predict page's heading is
shown: first with a cold model cache (the first visitor loads the model), then again warm.
Needs Debian's `chromium`; Playwright drives it without downloading a browser.

Usage: uv run python benchmarks/demo_first_render.py
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from cookiecutter.main import cookiecutter
from playwright.sync_api import Page, sync_playwright

TEMPLATE_DIR = Path(__file__).resolve().parents[1]
HEADING = "Predict the label of a message"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_health(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


def render_seconds(page: Page, url: str) -> float:
    started = time.perf_counter()
    page.goto(url)
    page.get_by_role("heading", name=HEADING).wait_for(timeout=60_000)
    page.get_by_role("textbox", name="Message", exact=True).wait_for(timeout=60_000)
    return time.perf_counter() - started


def main() -> None:
    environment = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=scratch))
        subprocess.run(
            ["make", "train"], cwd=project, env=environment, check=True, capture_output=True
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        started = time.perf_counter()
        demo = subprocess.Popen(
            ["make", "demo", f"DEMO_PORT={port}"],
            cwd=project,
            env=environment,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_health(f"{url}_stcore/health")
            start_up = time.perf_counter() - started
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch_persistent_context(
                    str(Path(scratch) / "profile"),
                    executable_path=shutil.which("chromium"),
                    headless=True,
                    args=CHROMIUM_ARGS,
                )
                cold = render_seconds(browser.new_page(), url)
                warm = render_seconds(browser.new_page(), url)
                browser.close()
        finally:
            os.killpg(demo.pid, signal.SIGTERM)
            demo.wait(timeout=30)
    print(f"demo start-up (make demo until /_stcore/health answers): {start_up:.1f} s")
    print(f"first page render, first visitor (loads the model): {cold:.2f} s (target < 2 s)")
    print(f"page render, next visitor (model cached): {warm:.2f} s")


if __name__ == "__main__":
    main()
