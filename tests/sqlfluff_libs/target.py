"""Stand-in for dbt's `target` object, for sqlfluff's jinja templater: DuckDB, the default target."""

type = "duckdb"
schema = "main"
