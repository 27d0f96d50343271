"""comex-territoires: Dagster definitions, ingestion, quality, exports and CLI."""
