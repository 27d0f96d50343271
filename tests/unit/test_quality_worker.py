"""The GX worker process: suites validated out of process, and a dead worker replaced."""

import os
import signal

import pandas as pd

from orchestration.quality import worker
from orchestration.quality.context import Expect, SuiteSpec

SPEC = SuiteSpec(
    name="unit_worker",
    frame=pd.DataFrame({"code": ["01", None]}),
    expectations=[Expect("ExpectColumnValuesToNotBeNull", {"column": "code"})],
    index_columns=[],
)


def test_suites_run_in_another_process_and_a_killed_worker_is_replaced() -> None:
    gx = worker.RemoteQuality(None, "unit-worker-1")
    pid = gx._executor.submit(os.getpid).result()
    assert pid != os.getpid()
    outcome = gx.validate(SPEC)
    assert not outcome.success and outcome.failures[0].unexpected_count == 1
    assert gx.publish_report() is None  # an ephemeral context: no report

    os.kill(pid, signal.SIGKILL)
    again = worker.RemoteQuality(None, "unit-worker-2")
    assert again._executor.submit(os.getpid).result() not in (pid, os.getpid())
    assert again.validate(SPEC).failures[0].unexpected_count == 1
