"""Publisher exports: the v1 contract tables as CSV and Parquet, with a manifest."""
