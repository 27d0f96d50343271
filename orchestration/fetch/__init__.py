"""`comex fetch`: download the configured DGDDI and ANCT files into the raw folder, safely."""

from orchestration.fetch.config import LinkSource, Source, SourcesConfig, load_sources, sources_file
from orchestration.fetch.http import FetchError
from orchestration.fetch.runner import FetchReport, fetch_all

__all__ = [
    "FetchError",
    "FetchReport",
    "LinkSource",
    "Source",
    "SourcesConfig",
    "fetch_all",
    "load_sources",
    "sources_file",
]
