"""Dagster assets, in the order data flows: ingestion → dbt → quality → exports → publication."""
