"""Real tier: the scale component's `make batch-predict` on a LocalCluster of worker processes,
over a multi-file Parquet dataset, a CSV glob and S3 (a moto server on loopback), equal row for
row to the single-process `predict --input`; bad inputs and existing outputs refused with nothing
written; Ctrl-C stops the cluster and leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .running import bake, make, moto_s3, printed_json, run
from .template import TOGGLES, tool_environment

pytestmark = pytest.mark.real
PACKAGE = "support_ticket_router"
BUCKET = "messages"
CLUSTER = {"DASK_WORKERS": "2", "DASK_PART_BYTES": "2000"}  # two workers, CSV parts of 2 kB
# Writes the same 300 messages as three CSV files, a three-file Parquet dataset (row groups of 40)
# and one CSV file for the single-process command line; a `text` with a comma, a quote and a
# formula, and an id and a number column to carry.
WRITE_INPUTS = """
import sys
from pathlib import Path
import pandas as pd
texts = ["my parcel never arrived", "I was charged twice, please refund", "the app crashes",
         'I need a "return" label', "=1+1 is what the invoice shows", "how do I reset my password"]
frame = pd.DataFrame({"id": [f"m{i:03d}" for i in range(300)],
                      "text": [f"{texts[i % len(texts)]} ({i})" for i in range(300)],
                      "stars": [str(i % 5) for i in range(300)]})
root = Path(sys.argv[1])
for folder in ("inbox", "dataset"):
    (root / folder).mkdir()
frame.to_csv(root / "all.csv", index=False)
for number in range(3):
    piece = frame.iloc[100 * number : 100 * (number + 1)]
    piece.to_csv(root / "inbox" / f"day-{number}.csv", index=False)
    piece.to_parquet(root / "dataset" / f"part-{number}.parquet", index=False, row_group_size=40)
"""
# Writes many messages to one CSV file: scoring them takes long enough to be interrupted.
WRITE_MANY = """
import sys
import pandas as pd
count = int(sys.argv[2])
pd.DataFrame({"id": range(count), "text": [f"my parcel never arrived ({i})" for i in range(count)]}
             ).to_csv(sys.argv[1], index=False)
"""
# Prints an output folder's rows (part files in order) as JSON records of text cells.
READ_OUTPUT = """
import json, sys
import fsspec
import pandas as pd
fs, path = fsspec.core.url_to_fs(sys.argv[1])
files = sorted(name for name in fs.ls(path, detail=False) if name.rsplit("/", 1)[-1][0] not in "._")
files = files if fs.isdir(path) else [path]
frames = []
for name in files:
    with fs.open(name, "rb") as stream:
        frames.append(pd.read_csv(stream, dtype=str, keep_default_na=False)
                      if name.endswith(".csv") else pd.read_parquet(stream))
frame = pd.concat(frames, ignore_index=True)
frame["confidence"] = frame["confidence"].astype(float)
print(json.dumps({"parts": len(files), "rows": frame.astype(str).to_dict("records")}))
"""
S3_FILES = """
import json, sys
import s3fs
fs = s3fs.S3FileSystem()
if sys.argv[1] == "upload":
    fs.mkdir("{bucket}")
    fs.put(sys.argv[2] + "/", "{bucket}/inbox/", recursive=True)
print(json.dumps(sorted(fs.find("{bucket}"))))
""".replace("{bucket}", BUCKET)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained project with the scale component alone, and the messages to score."""
    toggles = dict.fromkeys(TOGGLES, False) | {"use_dask": True}
    answers = (f"{name}={'yes' if on else 'no'}" for name, on in toggles.items())
    project = bake(tmp_path_factory.mktemp("scale"), *answers)
    run(["make", "install"], project)
    run(["make", "train"], project)
    run(["uv", "run", "python", "-c", WRITE_INPUTS, "."], project)
    return project


def batch_predict(
    project: Path, *arguments: str, **environment: str
) -> subprocess.CompletedProcess[str]:
    """`make batch-predict` on a local cluster of two worker processes, CSV cut in parts of 2 kB."""
    return make(project, "batch-predict", *arguments, **CLUSTER, **environment)


@pytest.fixture(scope="module")
def single_process(project: Path) -> list[dict[str, str]]:
    """The rows that `predict --input` (one process) writes for the same messages."""
    run(["uv", "run", PACKAGE, "predict", "--input", "all.csv", "--output", "single.csv"], project)
    return rows(project, "single.csv")[1]


def rows(project: Path, output: str, **environment: str) -> tuple[int, list[dict[str, str]]]:
    """The number of part files of an output and its rows, as text."""
    read = printed_json(project, READ_OUTPUT, output, **environment)
    return read["parts"], read["rows"]


def expected(
    single_process: list[dict[str, str]], project: Path, csv: bool
) -> list[dict[str, str]]:
    """The single-process rows with the model version; in Parquet, texts as they are (CSV files
    neutralise a formula with an apostrophe, as `predict --output` does)."""
    version = (project / "models" / "aliases" / "latest").read_text(encoding="utf-8").strip()
    return [
        row | {"model_version": version} | ({} if csv else {"text": row["text"].removeprefix("'")})
        for row in single_process
    ]


def test_a_csv_glob_and_a_parquet_dataset_give_the_single_process_predictions(
    project: Path, single_process: list[dict[str, str]]
) -> None:
    scored = batch_predict(project, "INPUT=inbox/day-*.csv", "OUTPUT=out-csv", "FORMAT=csv")
    assert scored.returncode == 0, scored.stderr
    assert "Wrote 300 predictions" in scored.stdout
    assert "on 2 Dask worker(s)" in scored.stderr
    parts, csv_rows = rows(project, "out-csv")
    assert parts > 3  # each file cut in parts
    assert csv_rows == expected(single_process, project, csv=True)

    scored = batch_predict(project, "INPUT=dataset", "OUTPUT=out-parquet")
    assert scored.returncode == 0, scored.stderr
    parts, parquet_rows = rows(project, "out-parquet")
    assert parts == 9  # three row groups in each of the three files
    assert parquet_rows == expected(single_process, project, csv=False)
    assert not list(project.glob(".out-*"))  # no temporary folder left


@pytest.fixture(scope="module")
def s3(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A moto S3 server on loopback, with the CSV glob's files uploaded; the variables that
    point boto at it."""
    with moto_s3(tmp_path_factory.mktemp("moto") / "moto.log") as environment:
        printed_json(project, S3_FILES, "upload", "inbox", **environment)
        yield environment


def test_inputs_and_outputs_on_s3(
    project: Path, single_process: list[dict[str, str]], s3: dict[str, str]
) -> None:
    url = f"s3://{BUCKET}/predictions"
    scored = batch_predict(project, f"INPUT=s3://{BUCKET}/inbox/", f"OUTPUT={url}", **s3)
    assert scored.returncode == 0, scored.stderr
    assert rows(project, url, **s3)[1] == expected(single_process, project, csv=False)
    stored = printed_json(project, S3_FILES, "list", **s3)
    assert not [key for key in stored if ".predictions" in key]  # no temporary prefix left

    refused = batch_predict(project, f"INPUT=s3://{BUCKET}/inbox/", f"OUTPUT={url}", **s3)
    assert refused.returncode != 0
    assert f"error: {url} exists already: give OVERWRITE=1" in refused.stderr
    assert printed_json(project, S3_FILES, "list", **s3) == stored


def test_a_corrupt_file_or_an_existing_output_is_refused_with_nothing_written(
    project: Path,
) -> None:
    (project / "broken").mkdir()
    for name in ("a.parquet", "b.parquet"):
        (project / "broken" / name).write_bytes(
            (project / "dataset" / "part-0.parquet").read_bytes()
        )
    (project / "broken" / "c.parquet").write_bytes(b"PAR1 cut short")
    (project / "latin").mkdir()
    (project / "latin" / "a.csv").write_bytes((project / "inbox" / "day-0.csv").read_bytes())
    (project / "latin" / "b.csv").write_bytes("id,text\nx,caf\xe9\n".encode("latin-1"))
    before = sorted(path.name for path in project.iterdir())

    for source, reason in (
        ("broken", "broken/c.parquet: not a Parquet file"),  # found before the cluster starts
        ("latin", "latin/b.csv: cannot be read"),  # found by the worker that reads it
    ):
        refused = batch_predict(project, f"INPUT={source}", "OUTPUT=nothing")
        assert refused.returncode != 0
        errors = [line for line in refused.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and reason in errors[0], refused.stderr
        assert "Traceback" not in refused.stderr
        assert sorted(path.name for path in project.iterdir()) == before

    (project / "kept").mkdir()
    (project / "kept" / "mine.txt").write_text("mine", encoding="utf-8")
    refused = batch_predict(project, "INPUT=inbox", "OUTPUT=kept")
    assert refused.returncode != 0
    assert "error: kept exists already: give OVERWRITE=1" in refused.stderr
    assert [path.name for path in (project / "kept").iterdir()] == ["mine.txt"]
    replaced = batch_predict(project, "INPUT=inbox", "OUTPUT=kept", "OVERWRITE=1")
    assert replaced.returncode == 0, replaced.stderr
    assert "mine.txt" not in [path.name for path in (project / "kept").iterdir()]


def session_processes(session: int) -> list[str]:
    """The command lines of the live processes of a session (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # ended while we looked
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(command.strip())
    return found


def test_ctrl_c_stops_the_cluster_and_leaves_nothing_behind(project: Path, tmp_path: Path) -> None:
    run(["uv", "run", "python", "-c", WRITE_MANY, "many.csv", "100000"], project)
    log = tmp_path / "stderr.log"
    with log.open("w") as stderr:
        # A session of its own, whose process group gets the SIGINT that Ctrl-C sends a terminal's.
        scoring = subprocess.Popen(
            ["make", "--no-print-directory", "batch-predict", "INPUT=many.csv", "OUTPUT=stopped"],
            cwd=project,
            env=tool_environment() | CLUSTER,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
        deadline = time.monotonic() + 300
        while "Scoring" not in log.read_text(encoding="utf-8"):
            assert scoring.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        time.sleep(1)  # the workers are scoring
        assert len(session_processes(scoring.pid)) > 3  # make, the command, two workers...
        os.killpg(scoring.pid, signal.SIGINT)
        assert scoring.wait(timeout=120) != 0

    deadline = time.monotonic() + 30
    while session_processes(scoring.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert session_processes(scoring.pid) == []  # no worker, nanny or scheduler left running
    assert not (project / "stopped").exists()
    assert not list(project.glob(".stopped*"))  # nor its temporary folder
