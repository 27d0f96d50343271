"""Which data texts are the bundled synthetic sample's: exports and fiches built only from them say so."""

from __future__ import annotations

import hashlib
import zipfile
from functools import lru_cache

from orchestration.settings import SAMPLE_DIR


@lru_cache(maxsize=1)
def sample_data_sha256() -> frozenset[str]:
    """sha256 of every data text of data/sample/ (the archive members: a vintage's identity)."""
    digests = set()
    for archive in SAMPLE_DIR.glob("*.zip"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    digests.add(hashlib.sha256(zf.read(info)).hexdigest())
    return frozenset(digests)


def is_synthetic(data_sha256: list[str]) -> bool:
    """True when there is data and all of it comes from the bundled synthetic sample."""
    return bool(data_sha256) and all(sha in sample_data_sha256() for sha in data_sha256)
