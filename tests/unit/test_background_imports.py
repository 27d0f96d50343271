"""`wait_for_background_imports` returns once the detached Dagster-history imports have ended.

The bench and scripts/compare_exports.py call it before timing another run or deleting the folder
such an import writes into (a refresh starts one in the background as it ends).
"""

from __future__ import annotations

import subprocess
import sys
import time

from orchestration.dagster_home import wait_for_background_imports


def test_waits_for_a_running_import_then_returns() -> None:
    # a process with an importer's command line (`-m orchestration.dagster_home --import-pending`)
    importer = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(1.5)", "-m", "orchestration.dagster_home", "--import-pending"]
    )
    started = time.monotonic()
    wait_for_background_imports(timeout=30)
    assert time.monotonic() - started >= 1.0
    assert importer.poll() is not None  # it had ended when the wait returned
    importer.wait()
