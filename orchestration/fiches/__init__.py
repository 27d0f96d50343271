"""Rendered fiches: one offline HTML page per territory, built from the export tables only."""

from __future__ import annotations

from orchestration.fiches.data import ExportTables, Territory
from orchestration.fiches.render import DEFAULT_FICHES_DIR, FicheRenderer

__all__ = ["DEFAULT_FICHES_DIR", "ExportTables", "FicheRenderer", "Territory"]
