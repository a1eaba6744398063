"""Real tier: a project trained on a user's own data, of another domain, with no code edit.

The bundled data in `data/` is replaced by product reviews (three labels that are not the
example's, other column names, an id column named by the one setting) and the project's own
commands run on it: `make train`, `make test` (whose tests never read `data/`), a prediction from
the command line and one from the API served on loopback.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest

from .running import bake, free_port, run, wait_until_ready
from .template import require_tools, tool_environment

pytestmark = pytest.mark.real

REVIEWS = {
    "praise": [
        "the blender is excellent and quiet",
        "great sound from these speakers",
        "I love this lamp, it looks lovely",
        "the kettle boils fast, very happy with it",
        "superb battery life on this phone",
        "the chair is comfortable and well made",
    ],
    "complaint": [
        "the toaster broke after a week",
        "awful battery, it dies in an hour",
        "the headphones arrived dead",
        "the zip of the bag snapped at once",
        "the screen is scratched and dim",
        "the fan rattles and smells of burning",
    ],
    "question": [
        "does the lamp fit a tall desk",
        "is a charger included in the box",
        "what size is the large backpack",
        "can the kettle be used abroad",
        "how long is the cable of the mouse",
        "does the blender come with a spare jug",
    ],
}
FRAMINGS = ["{}", "Honestly, {}.", "{}!", "Two words: {}.", "Well, {}", "{} (bought in May)"]
LABELS = sorted(REVIEWS)


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)


def use_reviews(project: Path) -> None:
    """Replace the bundled data with reviews and name their id column in `.env`."""
    data = project / "data"
    reviews = [
        (framing.format(text), label)
        for label, texts in REVIEWS.items()
        for text in texts
        for framing in FRAMINGS
    ]
    rows = [
        [f"rev-{number:04d}", str(number % 5 + 1), text, label]
        for number, (text, label) in enumerate(reviews)
    ]
    write_rows(data / "messages.csv", ["review_id", "stars", "text", "label"], rows)
    pool = ["is the mug dishwasher safe", "the strap tore on day one", "wonderful little radio"]
    write_rows(
        data / "unlabelled.csv",
        ["review_id", "text"],
        [[f"new-{n}", t] for n, t in enumerate(pool)],
    )
    write_rows(data / "examples.csv", ["text"], [["does the tent fit four people"]])
    (project / ".env").write_text("REVIEW_DESK_ID_COLUMN=review_id\n", encoding="utf-8")


def test_a_project_trains_serves_and_tests_on_data_of_another_domain(tmp_path: Path) -> None:
    require_tools("uv", "make")
    off = ["use_docker=no", "use_terraform=no", "use_github_actions=no"]
    project = bake(tmp_path, "project_name=Review Desk", *off)
    use_reviews(project)

    trained = run(["make", "train"], project)
    assert "Stored and promoted version" in trained.stdout
    version = (project / "models" / "aliases" / "latest").read_text(encoding="utf-8").strip()
    stored = project / "models" / "versions" / version
    metadata = json.loads((stored / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["labels"] == LABELS
    assert set(json.loads((stored / "test_ids.json").read_text())) <= {
        f"rev-{number:04d}" for number in range(len(LABELS) * 6 * len(FRAMINGS))
    }
    card = (project / "docs" / "model_card.md").read_text(encoding="utf-8")
    assert f"| Labels | {', '.join(LABELS)} |" in card
    assert "| complaint |" in (project / "docs" / "datasheet.md").read_text(encoding="utf-8")

    tests = run(["make", "test"], project)
    assert " passed" in tests.stdout
    assert "failed" not in tests.stdout.splitlines()[-1]

    predicted = run(["make", "predict", "TEXT=does the lamp come with a bulb?"], project)
    assert "question" in predicted.stdout
    output = project / "predictions.csv"
    batch = ["uv", "run", "review_desk", "predict", "--input", "data/unlabelled.csv"]
    run([*batch, "--output", str(output)], project)
    with output.open(encoding="utf-8") as stream:
        written = list(csv.DictReader(stream))
    assert [row["review_id"] for row in written] == ["new-0", "new-1", "new-2"]
    assert {row["label"] for row in written} <= set(LABELS)

    check_api_prediction(project)


def check_api_prediction(project: Path) -> None:
    """One prediction from the API on loopback: the labels of the model it serves."""
    port = str(free_port())
    server = subprocess.Popen(
        ["make", "serve-prod", "API_WORKERS=1", f"API_PORT={port}"],
        cwd=project,
        env=tool_environment(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{base}/health/ready")
        body = json.dumps({"text": "the kettle broke after two days"}).encode("utf-8")
        request = urllib.request.Request(
            f"{base}/v1/predict", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            prediction = json.load(response)
        with urllib.request.urlopen(f"{base}/v1/model", timeout=10) as response:
            model = json.load(response)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert prediction["label"] == "complaint"
    assert sorted(prediction["probabilities"]) == LABELS
    assert model["labels"] == LABELS
