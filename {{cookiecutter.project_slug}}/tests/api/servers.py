"""Running the service as its own process on a loopback port, as the live tests need."""

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from {{ cookiecutter.package_name }}.settings import ENV_PREFIX, Settings

STARTUP_SECONDS = 90  # a few seconds, unless the machine is very busy


@contextlib.contextmanager
def serving(
    command: list[str],
    port: int,
    settings: Settings,
    up: str = "/health/ready",
    log: Path | None = None,
    **variables: str,
) -> Iterator[str]:
    """Run `command` until the service on `port` answers 200 on `up`; yield its URL. Its
    output goes to `log` when given."""
    environment = os.environ | {f"{ENV_PREFIX}MODEL_STORE": settings.model_store}
    environment |= {f"{ENV_PREFIX}{name.upper()}": value for name, value in variables.items()}
    output = log.open("w") if log else None
    server = subprocess.Popen(command, env=environment, stdout=output, stderr=output)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if server.poll() is not None:
                code = server.returncode
                pytest.fail(f"the service exited with code {code} before answering {up}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}{up}").status_code == 200:
                    break
            time.sleep(0.2)
        else:
            pytest.fail(f"the service did not answer {up} within {STARTUP_SECONDS} s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=15)
        if output:
            output.close()
