"""A clear error when Label Studio is not there (the real server is tested by the template)."""

import socket

import pytest

from {{ cookiecutter.package_name }}.annotation.settings import AnnotationSettings
from {{ cookiecutter.package_name }}.annotation.studio import LabelStudioError, Studio


def test_a_server_that_is_not_running_gets_a_clear_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = AnnotationSettings(_env_file=None, url=f"http://127.0.0.1:{port}", token="0" * 40)
    with pytest.raises(LabelStudioError, match="start it with `make annotate`"):
        Studio(settings).project("<View/>")
