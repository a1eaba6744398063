"""Start the demo, as `make demo` does; Streamlit's options (--server.port...) pass through:

    python -m {{ cookiecutter.package_name }}.demo

The libraries the pages need (scikit-learn, pandas, pandera, the model store) are imported here,
before the server starts, so that the first visitor does not wait for them.
"""

import sys
from pathlib import Path

from streamlit.web import cli

from .. import data  # noqa: F401 (imported ahead for the pages)
from . import explain, routing  # noqa: F401 (imported ahead for the pages)


def main() -> None:
    """Run `streamlit run` on the demo's entry page, in this process."""
    sys.argv = ["streamlit", "run", str(Path(__file__).with_name("app.py")), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
