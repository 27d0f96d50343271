"""CLI: ``python -m orchestration.sample --out DIR --years 2023 2024 [...]`` or ``--bundled``."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from orchestration.sample.bundle import actual_checksums, ensure_bundled_sample, expected_checksums
from orchestration.sample.generator import (
    SAMPLE_SCALE,
    write_annual_zips,
    write_last_publication,
)


def _quarter(text: str) -> tuple[int, int]:
    """Parse ``2025Q2`` into ``(2025, 2)``."""
    match = re.fullmatch(r"(\d{4})[Qq]([1-4])", text)
    if match is None:
        raise argparse.ArgumentTypeError(f"expected YYYYQn (e.g. 2025Q2), got {text!r}")
    return int(match.group(1)), int(match.group(2))


def build_parser() -> argparse.ArgumentParser:
    """Argument parser of the sample generator CLI."""
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.sample",
        description="Write SYNTHETIC DGDDI regional foreign-trade files (deterministic; "
        "2024 totals calibrated on the published fiches).",
    )
    parser.add_argument("--out", type=Path, help="output directory")
    parser.add_argument(
        "--bundled",
        action="store_true",
        help="write the bundled sample (data/sample/, 2019-2024) where it is missing, and check SHA256SUMS",
    )
    parser.add_argument("--years", type=int, nargs="*", default=[], help="annual zips to write")
    parser.add_argument("--scale", type=int, default=SAMPLE_SCALE, help="rows per year, both flows together")
    parser.add_argument("--seed", type=int, default=2024, help="random seed")
    parser.add_argument("--seeds-dir", type=Path, default=None, help="dbt seeds directory (default <repo>/seeds)")
    parser.add_argument(
        "--last-publication",
        type=_quarter,
        metavar="YYYYQn",
        help="also write REGIONAL_CPF4PAYS{E,I} covering the 5 quarters ending here",
    )
    parser.add_argument(
        "--revision",
        type=float,
        default=0.0,
        help="max relative revision of earlier years' quarters in the last publication",
    )
    parser.add_argument("--zipped", action="store_true", help="zip the last-publication files")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; print the written paths."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.bundled:
        return _write_bundled()
    if args.out is None or (not args.years and args.last_publication is None):
        parser.error("give --out with --years and/or --last-publication (or --bundled)")
    common = {"scale": args.scale, "seed": args.seed, "seeds_dir": args.seeds_dir}
    paths = write_annual_zips(args.out, args.years, **common) if args.years else []
    if args.last_publication is not None:
        paths += write_last_publication(
            args.out,
            args.last_publication,
            revision=args.revision,
            zipped=args.zipped,
            **common,
        )
    for path in paths:
        print(path)
    return 0


def _write_bundled() -> int:
    """Write the bundled sample where missing; 1 when a file differs from SHA256SUMS."""
    paths = ensure_bundled_sample()
    expected, actual = expected_checksums(), actual_checksums()
    differing = sorted(name for name in expected if actual.get(name) != expected[name])
    for name in differing:
        print(f"data/sample/{name}: not the bundled sample (sha256 differs from SHA256SUMS)", file=sys.stderr)
    if not differing:
        print(f"bundled sample: {len(paths)} files in {paths[0].parent}, checksums ok")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
