"""The tests never write into the project: every place the settings name to write to is a
folder of the session's own, set in the environment (which servers and commands started by the
tests inherit) before any fixture runs, and a guard fails a run that touched the project anyway,
naming the files."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Where the tests may write inside the project: caches (Hypothesis's examples among them) and
# coverage data.
CACHES = {
    ".git",
    ".venv",
    ".pytest_cache",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "htmlcov",
}


def session_places(folder: Path) -> dict[str, str]:
    """The variables of every setting that names a place to write, pointed into `folder`."""
    from {{ cookiecutter.package_name }}.settings import ENV_PREFIX

    places = {
        "MODEL_STORE": "models",
        "REPORTS_DIR": "reports",
        "DOCS_DIR": "docs",
{%- if cookiecutter.use_monitoring %}
        "MONITORING_LOG_URL": "prediction-log",
        "MONITORING_REPORT_DIR": "reports/monitoring",
{%- endif %}
{%- if cookiecutter.use_annotation %}
        "ANNOTATION_LABELLED_FILE": "data/labelled/annotations.csv",
{%- endif %}
    }
    variables = {f"{ENV_PREFIX}{name}": str(folder / path) for name, path in places.items()}
{%- if cookiecutter.use_mlflow %}
    # Training is not tracked unless a test asks for it (MLflow costs seconds per run).
    variables[f"{ENV_PREFIX}TRACK_EXPERIMENTS"] = "false"
    variables["MLFLOW_TRACKING_URI"] = f"sqlite:///{(folder / 'mlruns' / 'mlflow.db').as_posix()}"
{%- endif %}
{%- if cookiecutter.use_dask %}
    variables["DASK_TEMPORARY_DIRECTORY"] = str(folder / "dask")
{%- endif %}
    return variables


def isolate(project: Path) -> Path:
    """A new folder that holds a copy of the project's docs (the model card and datasheet that
    training updates), into which every place to write is pointed."""
    folder = Path(tempfile.mkdtemp(prefix="session-"))
    shutil.copytree(project / "docs", folder / "docs")
    os.environ.update(session_places(folder))
    return folder


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """The size and modification time of every file under `root`, outside the caches."""
    files = {}
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if name not in CACHES]
        for name in names:
            if not name.startswith(".coverage"):
                status = Path(folder, name).lstat()
                relative = Path(folder, name).relative_to(root).as_posix()
                files[relative] = (status.st_size, status.st_mtime_ns)
    return files


def changes(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """A line per file created, changed or deleted between two snapshots."""
    return [
        f"{'created' if path not in before else 'deleted' if path not in after else 'changed'}"
        f" {path}"
        for path in sorted(before.keys() | after.keys())
        if before.get(path) != after.get(path)
    ]


class ProjectGuard:
    """A pytest plugin that fails the run when the tests created, changed or deleted a file of
    the project (`root`), and lists them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.before: dict[str, tuple[int, int]] = {}
        self.touched: list[str] = []

    def pytest_sessionstart(self) -> None:
        self.before = snapshot(self.root)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.touched = changes(self.before, snapshot(self.root))
        if self.touched:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.touched:
            terminalreporter.section("the tests wrote into the project", red=True)
            for line in self.touched:
                terminalreporter.write_line(line)
            terminalreporter.write_line(
                "A test must write under its own tmp_path: a setting left at its default, or a"
                " server started before the environment was set, writes into the project."
            )
