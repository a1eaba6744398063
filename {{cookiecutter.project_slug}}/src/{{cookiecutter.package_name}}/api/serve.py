"""The production server: `python -m {{ cookiecutter.package_name }}.api.serve`.

Runs `ApiSettings.workers` uvicorn workers. Prometheus metrics live in each worker's memory, so
the workers write them to a shared folder that `/metrics` adds up, whichever worker answers.
"""

import os
import shutil
import tempfile

import uvicorn

from .observability import MULTIPROCESS_DIR_VARIABLE
from .settings import ApiSettings


def main() -> None:
    """Serve until interrupted; the metrics folder lives as long as the server."""
    api = ApiSettings()
    metrics_dir = tempfile.mkdtemp(prefix="metrics-")
    os.environ[MULTIPROCESS_DIR_VARIABLE] = metrics_dir  # inherited by the workers
    try:
        uvicorn.run(
            f"{__package__}.app:create_app",
            factory=True,
            host=api.host,
            port=api.port,
            workers=api.workers,
            access_log=False,  # the service writes its own JSON access log
        )
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
