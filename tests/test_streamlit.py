"""Streamlit component, real tier: the all-on project's demo driven in headless Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .running import bake, free_port, run, wait_until_ready
from .template import TEMPLATE_DIR, require_tools, tool_environment

ARTIFACTS = TEMPLATE_DIR / "test-artifacts"
# No sandbox (root in a container), and nothing that reaches out of this machine.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_path() -> str | None:
    """Debian's chromium, or the Chrome or Chromium that the CHROMIUM variable names."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium")


@pytest.mark.real
def test_the_demo_routes_a_message_in_a_real_browser(tmp_path: Path) -> None:
    require_tools("uv", "make")
    if browser_path() is None:
        require_tools("chromium")
    project = bake(tmp_path / "bake")
    run(["make", "train"], project)
    port = free_port()
    demo = subprocess.Popen(
        ["make", "demo", f"DEMO_PORT={port}"],
        cwd=project,
        env=tool_environment(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    screenshot = ARTIFACTS / "demo-predict.png"
    screenshot.unlink(missing_ok=True)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/_stcore/health")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch_persistent_context(
                str(tmp_path / "profile"),
                executable_path=browser_path(),
                headless=True,
                args=CHROMIUM_ARGS,
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/", timeout=60_000)
            page.get_by_role("heading", name="Route a support message").wait_for(timeout=60_000)
            page.get_by_role("textbox", name="Message", exact=True).fill(
                "I was charged twice for my order, please refund"
            )
            page.get_by_role("button", name="Route").click()
            team = page.get_by_test_id("stMetricValue").first
            team.wait_for(timeout=60_000)
            routed = team.inner_text()
            page.get_by_text("Words that pointed to this team").wait_for(timeout=30_000)
            page.get_by_test_id("stVegaLiteChart").locator("canvas, svg").first.wait_for()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
            browser.close()
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=30)
    assert routed == "billing"
    assert screenshot.stat().st_size > 10_000  # a rendered page, not a blank one
