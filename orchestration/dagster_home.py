"""The persistent Dagster instance the CLI's refreshes are recorded in, and `make dagster` shows.

`DAGSTER_HOME` when it is set (the daemon's instance, see README "Unattended refresh"), else
`dagster_home/` beside the warehouse, made on first use with orchestration/dagster.yaml.example
(one warehouse writer at a time, no telemetry). `python -m orchestration.dagster_home` prints it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from orchestration.settings import Paths

HOME_ENV = "DAGSTER_HOME"
EXAMPLE_CONFIG = Path(__file__).with_name("dagster.yaml.example")


def dagster_home(warehouse: Path) -> Path:
    """`DAGSTER_HOME`, else `dagster_home/` next to the warehouse."""
    configured = os.environ.get(HOME_ENV)
    return Path(configured).expanduser().resolve() if configured else warehouse.parent.resolve() / "dagster_home"


def ensure_dagster_home(warehouse: Path) -> Path:
    """The instance folder, made (with a dagster.yaml) if it does not exist yet."""
    home = dagster_home(warehouse)
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        shutil.copyfile(EXAMPLE_CONFIG, config)
    return home


if __name__ == "__main__":
    print(ensure_dagster_home(Paths.resolve().warehouse))
