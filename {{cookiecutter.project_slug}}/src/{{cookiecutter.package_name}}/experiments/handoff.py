"""A training's MLflow writes, made by a process of its own started as the training starts: its
seconds of importing MLflow and opening the tracking store then overlap the training instead of
following it. The training hands the version over through a private temporary folder, then
asks for the run (`log`) and, once the store has promoted it, for the champion alias.

Where MLflow is imported once for many trainings (a notebook, the tests), a process per
training would only add those seconds to each: there the training logs in its own process."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..store import ModelMetadata
from .registry import set_champion
from .runs import TrackedVersion, log_version
from .tracking import TrackingError

if TYPE_CHECKING:
    import pandas as pd
    from sklearn.pipeline import Pipeline

MODEL, DATA, REQUEST, ARTIFACTS, ERRORS = (
    "model.joblib",
    "data.pkl",
    "request.json",
    "artifacts",
    "errors.txt",
)
LOG, CHAMPION = "log\n", "champion\n"  # what the training asks for, in this order


class RunLogger:
    """The MLflow process of one training. Stopped, and its folder removed, once the object is
    gone: after the champion alias, or as soon as the training fails or is stopped."""

    def __init__(self) -> None:
        folder = tempfile.TemporaryDirectory(prefix="mlflow-run-")  # readable by us only
        self._folder = Path(folder.name)
        self._errors = (self._folder / ERRORS).open("w+", encoding="utf-8")
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, folder.name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
        )
        self._stop = weakref.finalize(self, _stop, self._process, self._errors, folder)

    def log(
        self,
        pipeline: Pipeline,
        metadata: ModelMetadata,
        *,
        params: Mapping[str, Any],
        artifacts: Mapping[str, bytes],
        examples: Sequence[str],
        gate_passed: bool,
        data: pd.DataFrame,
    ) -> TrackedVersion:
        """Log a version as a run and register its model (what `runs.log_version` does)."""
        import joblib

        joblib.dump(pipeline, self._folder / MODEL)
        data.to_pickle(self._folder / DATA)
        (self._folder / ARTIFACTS).mkdir()
        for name, content in artifacts.items():
            (self._folder / ARTIFACTS / name).write_bytes(content)
        request = {
            "metadata": metadata.model_dump(mode="json"),
            "params": params,
            "examples": list(examples),
            "gate_passed": gate_passed,
        }
        (self._folder / REQUEST).write_text(json.dumps(request), encoding="utf-8")
        return TrackedVersion(**json.loads(self._ask(LOG)))

    def set_champion(self, metadata: ModelMetadata) -> None:
        """Point MLflow's champion alias at the version just logged (`metadata`, as stored)."""
        (self._folder / REQUEST).write_text(metadata.model_dump_json(), encoding="utf-8")
        self._ask(CHAMPION)
        self._stop()

    def _ask(self, word: str) -> str:
        """Say `word` to the process and return its answer; its error as a TrackingError."""
        assert self._process.stdin is not None and self._process.stdout is not None
        try:
            self._process.stdin.write(word)
            self._process.stdin.flush()
        except BrokenPipeError:
            pass  # it has stopped: its error says why
        answer = self._process.stdout.readline()
        if answer:
            return answer
        self._process.wait()
        self._errors.seek(0)
        lines = self._errors.read().strip().splitlines()
        self._stop()
        raise TrackingError(lines[-1] if lines else f"exit status {self._process.returncode}")


class InProcessRunLogger:
    """A training's MLflow writes made in the training's own process, with the same questions
    as a RunLogger's; the tracking store is opened at once, so that a store that cannot be
    reached stops the training before it starts."""

    def __init__(self) -> None:
        warm_up()

    def log(self, pipeline: Pipeline, metadata: ModelMetadata, **details: Any) -> TrackedVersion:
        """Log a version as a run and register its model (`runs.log_version`)."""
        return log_version(pipeline, metadata, **details)

    def set_champion(self, metadata: ModelMetadata) -> None:
        """Point MLflow's champion alias at the version just logged (`metadata`, as stored)."""
        set_champion(metadata)


def _stop(
    process: subprocess.Popen[str], errors: IO[str], folder: tempfile.TemporaryDirectory[str]
) -> None:
    if process.poll() is None:
        process.kill()
    process.communicate()
    errors.close()
    folder.cleanup()


def warm_up() -> None:
    """Import what logging needs and open the tracking store, while the training runs."""
    import mlflow.sklearn  # noqa: F401
    from mlflow import MlflowClient

    from .tracking import reported_as, use_project_experiment

    with reported_as("Opening the tracking store"):
        use_project_experiment()
        MlflowClient().search_registered_models(max_results=1)  # opens the registry's store


def log_handed_over(folder: Path) -> TrackedVersion:
    """Log the version the training put in `folder`."""
    import joblib
    import pandas as pd

    request = json.loads((folder / REQUEST).read_text(encoding="utf-8"))
    return log_version(
        joblib.load(folder / MODEL),
        ModelMetadata.model_validate(request["metadata"]),
        params=request["params"],
        artifacts={path.name: path.read_bytes() for path in (folder / ARTIFACTS).iterdir()},
        examples=request["examples"],
        gate_passed=request["gate_passed"],
        # Written by the training into this folder of ours alone, as the model file is.
        data=pd.read_pickle(folder / DATA),  # nosec B301
    )


def main(folder: Path) -> None:
    """Warm up, then do what the training asks, in order; stop at the end of its input (the
    training failed, or its version is not promoted). An error: one line on stderr, status 1."""
    answers, sys.stdout = sys.stdout, sys.stderr  # MLflow prints too ("View run ... at: ...")

    def answer(text: str) -> None:
        answers.write(text + "\n")
        answers.flush()

    try:
        warm_up()
        if sys.stdin.readline() != LOG:
            return
        tracked = log_handed_over(folder)
        answer(json.dumps({"run_id": tracked.run_id, "model_version": tracked.model_version}))
        if sys.stdin.readline() != CHAMPION:
            return
        set_champion(ModelMetadata.model_validate_json((folder / REQUEST).read_text("utf-8")))
        answer("done")
    except TrackingError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
