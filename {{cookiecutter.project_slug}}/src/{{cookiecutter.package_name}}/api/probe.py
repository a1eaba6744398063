"""Container health check: exit 0 when the service on this host is ready to predict, 1 otherwise
(not started, no model loaded, not answering). Run as:

    python -m {{ cookiecutter.package_name }}.api.probe
"""

import http.client
import sys

from .settings import ApiSettings


def is_ready(port: int, timeout: float = 3.0) -> bool:
    """Whether the service on 127.0.0.1:`port` answers its readiness probe with 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/health/ready")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):  # refused, timed out, reset, not HTTP
        return False
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(0 if is_ready(ApiSettings().port) else 1)
