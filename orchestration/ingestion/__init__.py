"""Bring DGDDI regional customs files into DuckDB: safely, faithfully, once per vintage."""
