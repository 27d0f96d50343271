"""Quality gates: Great Expectations suites on frames pre-aggregated in DuckDB, run as Dagster checks.

Suites are plain data (`SuiteSpec`: a pandas frame and a list of `Expect`); `context.py` turns
them into GX objects, runs them and writes the run's self-contained report (`report.py`).
Great Expectations is imported lazily (it takes seconds): importing this package never imports it.
"""
