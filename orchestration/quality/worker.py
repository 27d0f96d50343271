"""Great Expectations in a worker process, started early so that its import overlaps the run.

`import great_expectations` costs seconds of pure Python (longer than ingesting a full-scale
year). In the refresh's own process it would hold the GIL and stand on the critical path. So
the refresh starts one worker process first thing (`start`); the worker imports GX while
the parent imports Dagster and ingests, and by the time the first check step needs GX it is
ready. Check steps hand it `SuiteSpec`s (small frames built in DuckDB) and get plain
`SuiteOutcome`s back; the worker keeps the GX context and writes the run's report.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from orchestration.quality.context import SuiteOutcome, SuiteSpec, gx_module, quality_context

_LOCK = threading.Lock()
_EXECUTOR: ProcessPoolExecutor | None = None
_READY: Future[float] | None = None  # the worker's GX import time, once imported


#: How often the worker checks that its parent is alive.
PARENT_CHECK_SECONDS = 0.5


def _die_with_parent(parent_pid: int) -> None:
    """Worker initializer: end the worker as soon as the process that started it is gone.

    A killed parent (SIGKILL, the OOM killer) cannot stop its worker, and the worker would wait
    on its task queue forever (it holds that queue's write end itself), with GX loaded (~260 MB)
    and multiprocessing's resource tracker beside it. A daemon thread watches the parent instead.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="comex-parent-watch", daemon=True).start()
    atexit.register(_exit_without_teardown)


def _exit_without_teardown() -> None:
    """The worker's last act once `stop` ended it: skip the interpreter's teardown (unloading GX
    and pandas, ~0.5 s the refresh waited for). By then multiprocessing's own exit handlers have
    run (queues flushed and closed) and every task's results are back with the parent."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _import_gx() -> float:
    started = time.perf_counter()
    gx_module()
    return time.perf_counter() - started


def _validate(root: Path | None, run_key: str, spec: SuiteSpec) -> SuiteOutcome:
    return quality_context(root, run_key).validate(spec)


def _publish_report(root: Path | None, run_key: str) -> Path | None:
    return quality_context(root, run_key).publish_report()


def start() -> None:
    """Start the worker (if not running) and its GX import; returns at once."""
    global _EXECUTOR, _READY
    with _LOCK:
        if _EXECUTOR is None:
            _EXECUTOR = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_die_with_parent,
                initargs=(os.getpid(),),
            )
            _READY = _EXECUTOR.submit(_import_gx)


def stop() -> None:
    """Stop the worker (the next `start` makes a new one)."""
    global _EXECUTOR, _READY
    with _LOCK:
        executor, _EXECUTOR, _READY = _EXECUTOR, None, None
    if executor is not None:
        executor.shutdown(wait=True, cancel_futures=True)


atexit.register(stop)


def _ready_worker() -> tuple[ProcessPoolExecutor, float]:
    """The running worker once GX is imported in it, and how long that import took."""
    start()
    executor, ready = _EXECUTOR, _READY
    assert executor is not None and ready is not None
    import_seconds = ready.result()
    executor.submit(os.getpid).result()  # raises BrokenProcessPool if the worker died since
    return executor, import_seconds


class RemoteQuality:
    """The worker's GX context for one quality root and run: `QualityContext`'s interface."""

    def __init__(self, root: Path | None, run_key: str) -> None:
        self.root, self.run_key = root, run_key
        started = time.perf_counter()
        try:
            self._executor, self.import_seconds = _ready_worker()
        except BrokenProcessPool:  # a worker that died (killed, out of memory) in an earlier run
            stop()
            self._executor, self.import_seconds = _ready_worker()
        self.wait_seconds = time.perf_counter() - started  # what the import still cost the caller

    def validate(self, spec: SuiteSpec) -> SuiteOutcome:
        return self._executor.submit(_validate, self.root, self.run_key, spec).result()

    def publish_report(self) -> Path | None:
        return self._executor.submit(_publish_report, self.root, self.run_key).result()
