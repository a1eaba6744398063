"""Container health check: exit 0 when the service on this host is ready to predict, 1 otherwise
(not started, no model loaded, not answering). Run as:

    python -m {{ cookiecutter.package_name }}.api.probe
"""

import sys
import urllib.request

from .settings import ApiSettings


def is_ready(port: int, timeout: float = 3.0) -> bool:
    """Whether the service on 127.0.0.1:`port` answers its readiness probe with 200."""
    try:
        url = f"http://127.0.0.1:{port}/health/ready"
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return bool(answer.status == 200)
    except OSError:  # refused, timed out, or an HTTP error status such as 503
        return False


if __name__ == "__main__":
    sys.exit(0 if is_ready(ApiSettings().port) else 1)
