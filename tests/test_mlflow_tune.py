"""Real tier: `make tune TRIALS=4` in a baked project with the experiments component, then
`make train` with the parameters it found; the runs are read back through MLflow's client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .running import bake, run
from .template import TOGGLES, require_tools

pytestmark = pytest.mark.real

# Read in the project's own environment: the template's does not install MLflow.
READ_RUNS = """
import json
from mlflow.tracking import MlflowClient

client = MlflowClient("sqlite:///mlruns/mlflow.db")
experiment = client.get_experiment_by_name("{experiment}")
runs = client.search_runs([experiment.experiment_id])
[parent] = [run for run in runs if run.info.run_name == "tune"]
print(json.dumps({{
    "parent": parent.data.params,
    "metrics": parent.data.metrics,
    "plots": sorted(item.path for item in client.list_artifacts(parent.info.run_id, "plots")),
    "children": [
        run.data.tags["optuna.state"]
        for run in runs
        if run.data.tags.get("mlflow.parentRunId") == parent.info.run_id
    ],
}}))
"""


def test_make_tune_writes_the_parameters_that_make_train_uses(tmp_path: Path) -> None:
    require_tools("uv", "make")
    answers = [f"{toggle}={'yes' if toggle == 'use_mlflow' else 'no'}" for toggle in TOGGLES]
    project = bake(tmp_path, *answers)
    run(["make", "install"], project)

    tuned = run(["make", "tune", "TRIALS=4"], project)
    assert "--trials 4 --timeout 600" in tuned.stdout
    assert "Best of " in tuned.stdout
    best = json.loads((project / "params.json").read_text(encoding="utf-8"))["params"]
    for name, value in best.items():
        assert f"  {name} = {value:.4g}" in tuned.stdout
    assert "Traceback" not in tuned.stderr
    assert "trial 3: " in tuned.stderr

    logged = json.loads(
        run(
            ["uv", "run", "python", "-c", READ_RUNS.format(experiment=project.name)], project
        ).stdout
    )
    assert logged["parent"]["trials"] == "4"
    assert logged["parent"]["folds"] == "5"
    assert {name: logged["parent"][f"best_{name}"] for name in best} == {
        name: str(value) for name, value in best.items()
    }
    assert logged["plots"] == ["plots/optimization_history.png", "plots/param_importances.png"]
    assert len(logged["children"]) == 4
    assert set(logged["children"]) <= {"COMPLETE", "PRUNED"}

    run(["make", "train"], project)
    [metadata] = (project / "models" / "versions").glob("*/metadata.json")
    trained = json.loads(metadata.read_text(encoding="utf-8"))["params"]
    assert {name: trained[name] for name in best} == best
