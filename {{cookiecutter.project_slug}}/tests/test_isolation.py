"""The tests' own places to write, and the guard that fails a run which wrote into the project."""

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.settings import Settings

from .isolation import ProjectGuard
from .support import PROJECT_ROOT

WRITING_TEST = """
from pathlib import Path

PROJECT = Path({project!r})


def test_that_writes_into_the_project():
    (PROJECT / "reports").mkdir()
    (PROJECT / "reports" / "metrics.json").write_text("a training no one ran")
    (PROJECT / "params.json").write_text("changed")
    (PROJECT / ".pytest_cache" / "seen").write_text("a cache may change")
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> Path:
    """A project with a settings file and a cache."""
    project = pytester.mkdir("project")
    (project / "params.json").write_text("{}")
    (project / ".pytest_cache").mkdir()
    return project


def test_a_run_that_writes_into_the_project_fails_naming_the_files(
    pytester: pytest.Pytester, project: Path
) -> None:
    pytester.makepyfile(WRITING_TEST.format(project=str(project)))

    result = pytester.runpytest_inprocess(plugins=[ProjectGuard(project)])

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*the tests wrote into the project*",
            "changed params.json",
            "created reports/metrics.json",
        ]
    )
    assert "seen" not in result.stdout.str()


def test_a_run_that_leaves_the_project_alone_passes(
    pytester: pytest.Pytester, project: Path
) -> None:
    pytester.makepyfile("def test_nothing_written(): pass")

    result = pytester.runpytest_inprocess(plugins=[ProjectGuard(project)])

    assert result.ret == pytest.ExitCode.OK
    assert "wrote into the project" not in result.stdout.str()


def test_the_settings_of_the_tests_write_outside_the_project() -> None:
    settings = Settings()
    for place in [Path(settings.model_store), settings.reports_dir, settings.docs_dir]:
        assert place.is_absolute()
        assert not place.is_relative_to(PROJECT_ROOT), place
