"""Data written for the tests, never read from `data/` (which holds your data once you add it),
settings that write only under a given folder, and free loopback ports."""

import contextlib
import os
import random
import shutil
import socket
from pathlib import Path

import pandas as pd

from {{ cookiecutter.package_name }}.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# What each team of a small support desk is asked, and how people put it.
TOPICS = {
    "account": [
        "I cannot log in to my account",
        "I forgot my password",
        "please close my account",
        "how do I change the email on my profile",
        "please merge my two accounts",
        "my account is locked",
    ],
    "billing": [
        "I was charged twice for my order",
        "please refund the double charge on my card",
        "my invoice shows the wrong amount",
        "can I pay by bank transfer",
        "my subscription payment failed",
        "the charge on my credit card is wrong",
    ],
    "returns": [
        "I want to send the shoes back",
        "how do I exchange the jacket for a bigger size",
        "I need a return label",
        "what is the state of my return",
        "can I return an item bought on sale",
        "the item I sent back has not been received",
    ],
    "shipping": [
        "my parcel never arrived",
        "where is my parcel",
        "the delivery of my parcel is late",
        "can I change the delivery address",
        "the tracking number of my parcel does not work",
        "the courier left my parcel at the wrong house",
    ],
    "technical": [
        "the app crashes when I open it",
        "the website shows an error",
        "the checkout page does not load",
        "the app freezes on the start screen",
        "I get error 500 on the website",
        "the search page is broken",
    ],
}
FRAMINGS = [
    "{}",
    "Hello, {}.",
    "{}, can you help?",
    "Hi team, {} since yesterday.",
    "{}! Please answer quickly.",
    "Good morning, {}, thanks.",
    "{} and I am not happy.",
    "Quick question: {}?",
]
LABELS = sorted(TOPICS)
UNLABELLED = ["Hi, my parcel is lost", "I was charged for nothing", "the app shows a blank page"]


def write_training_data(path: Path) -> Path:
    """Labelled support messages, learnable, with an extra column and no id."""
    rows = [
        (framing.format(topic), label, "test")
        for label, topics in TOPICS.items()
        for topic in topics
        for framing in FRAMINGS
    ]
    pd.DataFrame(rows, columns=["text", "label", "source"]).to_csv(path, index=False)
    return path


def write_texts(path: Path, texts: list[str]) -> Path:
    """A CSV file with a `text` column."""
    pd.DataFrame({"text": texts}).to_csv(path, index=False)
    return path


def write_unlearnable_data(path: Path) -> Path:
    """Labelled messages whose labels have nothing to do with their text."""
    rows = [f"message number {i},{LABELS[i * 7 % 11 % len(LABELS)]}" for i in range(100)]
    path.write_text("\n".join(["text,label", *rows]) + "\n", encoding="utf-8")
    return path


def make_settings(root: Path, **overrides: object) -> Settings:
    """Settings on the test data, writing the store, reports and docs under `root`."""
    docs = root / "docs"
    if not docs.exists():
        shutil.copytree(PROJECT_ROOT / "docs", docs)
    data = root / "data"
    data.mkdir(exist_ok=True)
    values: dict[str, object] = {
        "training_data": [str(write_training_data(data / "messages.csv"))],
        "unlabelled_data": write_texts(data / "unlabelled.csv", UNLABELLED),
        "model_store": str(root / "models"),
        "reports_dir": root / "reports",
        "docs_dir": docs,
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[arg-type]


def free_port() -> int:
    """A loopback port free now, from a range of this test worker's own: `make test` runs the
    tests in several processes (pytest-xdist), which must never start servers on one port."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    while True:
        port = random.randrange(20000 + worker, 60000, workers)
        with socket.socket() as probe, contextlib.suppress(OSError):
            probe.bind(("127.0.0.1", port))
            return port
