"""A clear error when Label Studio is not there (the real server is tested by the template)."""

import pytest

from {{ cookiecutter.package_name }}.annotation.settings import AnnotationSettings
from {{ cookiecutter.package_name }}.annotation.studio import LabelStudioError, Studio

from ..support import free_port


def test_a_server_that_is_not_running_gets_a_clear_error() -> None:
    port = free_port()
    settings = AnnotationSettings(_env_file=None, url=f"http://127.0.0.1:{port}", token="0" * 40)
    with pytest.raises(LabelStudioError, match="start it with `make annotate`"):
        Studio(settings).project("<View/>")
