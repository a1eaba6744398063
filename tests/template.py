"""Facts about the template that the tests share: its folder, toggles, hooks and baking helpers."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from itertools import combinations, product
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
import pytest
from cookiecutter.environment import StrictEnvironment
from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config

TEMPLATE_DIR = Path(__file__).resolve().parents[1]
COOKIECUTTER_JSON: dict[str, Any] = json.loads(
    (TEMPLATE_DIR / "cookiecutter.json").read_text(encoding="utf-8")
)
TOGGLES: tuple[str, ...] = tuple(key for key in COOKIECUTTER_JSON if key.startswith("use_"))
TEXT_SUFFIXES = {".py", ".toml", ".yaml", ".yml", ".json", ".md", ".cfg", ".txt", ".csv", ".mk"}
TEXT_NAMES = {
    "Makefile",
    "LICENSE",
    "Dockerfile",
    ".dockerignore",
    ".gitignore",
    ".python-version",
    ".env.example",
}

# Words that only a component's files may contain: with the component off, none may remain.
COMPONENT_MARKERS: dict[str, tuple[str, ...]] = {
    "use_api": ("fastapi", "uvicorn", "make serve", "locust", "schemathesis", "/v1/predict"),
    "use_docker": ("dockerfile", "docker", "compose.yaml", "podman"),
    "use_github_actions": (".github", "github actions", "workflow"),
    "use_terraform": ("terraform", "infra/", "tf-plan"),
    "use_streamlit": ("streamlit", "make demo"),
    "use_annotation": ("label studio", "label-studio", "label_studio", "make annotate"),
    "use_mlflow": ("mlflow", "optuna", "make tune"),
    "use_dask": ("dask", "batch-predict", "train-remote"),
    "use_monitoring": (
        "/v1/feedback",
        "prediction-log",
        ".monitoring",
        "monitoring_",
        "export-feedback",
        "make monitor",
    ),
}


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the next bake in this process: most of a bake is
    Jinja compiling the template's files, the same for every combination (Jinja checks each
    file's source against the checksum it was compiled from)."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


def _with_bytecode_cache(init: Any, cache: MemoryBytecodeCache) -> Any:
    def cached_init(self: StrictEnvironment, **kwargs: Any) -> None:
        init(self, **kwargs)
        self.bytecode_cache = cache

    return cached_init


# Every bake in a test process (pytest-cookies, cookiecutter's API) shares one cache.
StrictEnvironment.__init__ = _with_bytecode_cache(StrictEnvironment.__init__, MemoryBytecodeCache())


def load_hook(name: str) -> ModuleType:
    """Import a hook script as a module (its `__main__` block does not run)."""
    path = TEMPLATE_DIR / "hooks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"hook_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def answers(**overrides: Any) -> dict[str, Any]:
    """The answers cookiecutter derives without prompting, as the hooks receive them."""
    context = generate_context(TEMPLATE_DIR / "cookiecutter.json", extra_context=overrides)
    return dict(prompt_for_config(context, no_input=True))


def bake_cookies(cookies: Any, **context: Any) -> Path:
    """Bake with pytest-cookies (in-process, fast); fail on any error."""
    result = cookies.bake(template=str(TEMPLATE_DIR), extra_context=context)
    assert result.exit_code == 0, result.exception
    assert result.exception is None
    return Path(result.project_path)


def toggle_combinations() -> Iterator[dict[str, bool]]:
    """Every combination of the component toggles."""
    for values in product([True, False], repeat=len(TOGGLES)):
        yield dict(zip(TOGGLES, values, strict=True))


def covering_set(combinations: Sequence[Mapping[str, bool]]) -> list[dict[str, bool]]:
    """A few of `combinations` that hold together every pair of toggle values that any of them
    holds (pairwise coverage), for the checks too slow to run on each: chosen greedily, in order,
    so the set is the same on every run."""
    uncovered = set().union(*map(_value_pairs, combinations))
    chosen: list[dict[str, bool]] = []
    while uncovered:
        best = max(combinations, key=lambda toggles: len(_value_pairs(toggles) & uncovered))
        chosen.append(dict(best))
        uncovered -= _value_pairs(best)
    return chosen


def _value_pairs(toggles: Mapping[str, bool]) -> set[tuple[tuple[str, bool], tuple[str, bool]]]:
    return {((a, toggles[a]), (b, toggles[b])) for a, b in combinations(sorted(toggles), 2)}


def combination_id(toggles: Mapping[str, bool]) -> str:
    on = [name.removeprefix("use_") for name, value in toggles.items() if value]
    return "+".join(on) or "core-only"


COMBINATION_RULES = (
    "docker_needs_api",
    "terraform_needs_api_and_docker",
    "monitoring_needs_api",
)


def is_valid_combination(toggles: Mapping[str, bool]) -> bool:
    """Mirror of the combination rules, checked against the hook by a test."""
    docker_ok = not toggles["use_docker"] or toggles["use_api"]
    terraform_ok = not toggles["use_terraform"] or (toggles["use_api"] and toggles["use_docker"])
    monitoring_ok = not toggles["use_monitoring"] or toggles["use_api"]
    return docker_ok and terraform_ok and monitoring_ok


def run_cookiecutter(
    output_dir: Path, *answers: str, replay_file: Path | None = None, template: Path = TEMPLATE_DIR
) -> subprocess.CompletedProcess[str]:
    """Run the cookiecutter command line as a user would: answers given, or replayed from a file."""
    source = ["--replay-file", str(replay_file)] if replay_file else ["--no-input"]
    command = [sys.executable, "-m", "cookiecutter", *source, "-o", str(output_dir)]
    return subprocess.run(
        [*command, str(template), *answers],
        capture_output=True,
        text=True,
        check=False,
        encoding="utf-8",
    )


def project_files(root: Path) -> list[Path]:
    """Every file of a generated project (virtual environments and caches excluded)."""
    skipped = {".venv", ".git", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and not skipped & set(path.relative_to(root).parts)
    )


def is_text(path: Path) -> bool:
    return path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES


def make_template_repository(destination: Path) -> Path:
    """This template's working tree, committed to a new git repository at `destination`."""
    shutil.copytree(
        TEMPLATE_DIR, destination, ignore=shutil.ignore_patterns(".venv", ".git", "*cache*")
    )
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "template"]):
        subprocess.run([*git, *command], cwd=destination, check=True, capture_output=True)
    return destination


def tool_environment() -> dict[str, str]:
    """Environment for running uv and make in a baked project, with a shared uv cache."""
    environment = dict(os.environ)
    environment.setdefault("UV_CACHE_DIR", str(Path.home() / ".cache" / "uv"))
    environment.pop("VIRTUAL_ENV", None)
    # A baked project is new, as on a user's machine: its first command creates uv.lock. Under CI
    # its Makefile would install only a committed lock (tests that want that set CI themselves).
    environment.pop("CI", None)
    return environment


def require_tools(*names: str) -> None:
    """Fail loudly in CI, skip with the reason elsewhere, when a tool is missing."""
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        reason = f"needs {', '.join(missing)} on PATH"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
