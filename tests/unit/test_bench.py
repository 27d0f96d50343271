"""Pure helpers of `make bench` (orchestration.bench, orchestration.bench_pandas): nothing is timed here."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pandas as pd
import psutil
import pytest

from orchestration import bench, bench_pandas
from orchestration.sample import FULL_SCALE, last_publication_quarters


def test_budget_verdict_and_line() -> None:
    met = bench.Budget("full refresh, 1 full-scale year", 18.5, 20, "s")
    missed = bench.Budget("its peak RSS (process tree)", 2300, 2048, "MiB", "3 years, not 10")
    assert met.met and not missed.met
    assert met.line() == "  budget: full refresh, 1 full-scale year ≤ 20 s: 18.50 s → met"
    assert missed.line().endswith("2,300 MiB → missed (indicative only: 3 years, not 10)")
    assert missed.as_dict()["met"] is False


def test_budget_caveat_names_what_differs_from_the_budgeted_configuration() -> None:
    assert bench.BUDGET_SCALE == FULL_SCALE
    assert bench.budget_caveat(FULL_SCALE, 10, 2) is None
    assert bench.budget_caveat(200_000, 3, 2) == "200,000 rows a year, not 4,000,000; 3 years, not 10"
    assert bench.budget_caveat(FULL_SCALE, cpus=8) == "8 CPUs, not 2"


def test_bench_years_end_at_the_year() -> None:
    assert bench.bench_years(2024, 10) == list(range(2015, 2025))
    assert bench.bench_years(2024, 1) == [2024]
    with pytest.raises(ValueError, match="at least 1"):
        bench.bench_years(2024, 0)


def test_the_monthly_last_publication_revises_the_year_and_adds_one_quarter() -> None:
    quarters = last_publication_quarters(bench.last_publication_quarter(2024))
    assert quarters == [(2024, 1), (2024, 2), (2024, 3), (2024, 4), (2025, 1)]


def test_tree_rss_counts_at_least_the_process_itself() -> None:
    me = psutil.Process(os.getpid())
    assert bench.tree_rss(me) >= me.memory_info().rss // 2 > 0


def _flows(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    """One territory, one flow: (a129, pays, valeur) rows."""
    frame = pd.DataFrame(rows, columns=["a129", "pays", "valeur"])
    return frame.assign(annee=2024, flow="export", level="departement", territory="88")[
        [*bench_pandas.KEYS, "a129", "pays", "valeur"]
    ]


def test_pandas_ranking_breaks_ties_by_code_and_shares_the_flow() -> None:
    flows = _flows([("C10", "DE", 30), ("B05", "DE", 30), ("A01", "BE", 40), ("Z99", "BE", 0)])
    products = bench_pandas.ranked(flows, "a129")
    assert products["a129"].tolist() == ["A01", "B05", "C10"]  # zero values left out
    assert products["rank"].tolist() == [1, 2, 3]
    assert products["share_of_flow"].tolist() == pytest.approx([0.4, 0.3, 0.3])


def test_pandas_links_fold_beyond_the_top_n_into_autres(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench_pandas, "TOP_N", 1)
    flows = _flows([("A01", "DE", 50), ("A01", "BE", 10), ("B05", "DE", 20), ("B05", "BE", 5)])
    links = bench_pandas.links(flows, bench_pandas.ranked(flows, "a129"), bench_pandas.ranked(flows, "pays"))
    cells = dict(zip(zip(links["a129"], links["pays"], strict=True), links["valeur"], strict=True))
    assert cells == {("A01", "DE"): 50, ("A01", "AUTRES"): 10, ("AUTRES", "DE"): 20, ("AUTRES", "AUTRES"): 5}
    assert sum(cells.values()) == flows["valeur"].sum()


def test_pandas_stacks_departement_region_and_france() -> None:
    raw = pd.DataFrame(
        {
            "flux": ["E", "E", "I"],
            "annee": [2024, 2024, 2024],
            "departement": ["88", "10", "88"],
            "region": ["44", "44", "44"],
            "a129": ["C10", "C10", "C10"],
            "pays": ["DE", "DE", "NA"],
            "valeur": [5, 7, 3],
        }
    )
    stacked = bench_pandas.by_territory(raw)
    totals = stacked.groupby(bench_pandas.KEYS)["valeur"].sum().to_dict()
    assert totals[(2024, "export", "region", "44")] == 12
    assert totals[(2024, "export", "france", "FR")] == 12
    assert totals[(2024, "import", "departement", "88")] == 3


def test_pandas_reads_codes_as_text_and_namibia_as_a_country(tmp_path: Path) -> None:
    lines = ["E;1;2024;01;84;C10;1011;NA;12;3", "E;2;2024;01;84;C10;1011;DE;5;1"]
    (tmp_path / "Region_2024_Export.txt").write_text("\r\n".join(lines) + "\r\n")
    raw = bench_pandas.read(tmp_path)
    assert raw["departement"].tolist() == ["01", "01"]
    assert raw["pays"].tolist() == ["NA", "DE"]
    assert raw["valeur"].sum() == 17


def test_against_runs_the_same_command_line_minus_what_the_earlier_bench_does_not_know() -> None:
    argv = ["--only", "sample", "--only=spark", "--repeat", "3", "--against", "main", "--json", "out.json"]
    same = bench._without_against(argv)
    assert same == ["--only", "sample", "--only=spark", "--repeat", "3"]
    assert bench._only_scenarios(same, {"sample", "refresh"}) == (["--only", "sample", "--repeat", "3"], ["spark"])
    assert bench._only_scenarios(["--repeat", "1"], {"sample"}) == (["--repeat", "1"], [])


def test_side_by_side_pairs_the_medians_of_both_runs() -> None:
    before = {"sample": {"name": "comex refresh --sample, from empty", "median": 20.0}, "ratios": {}}
    after = {"sample": {"name": "comex refresh --sample, from empty", "median": 15.0}, "spark": {"median": 1.0}}
    text = bench.side_by_side(before, after, "main")
    assert "before = main" in text
    assert text.splitlines()[-1].split()[-3:] == ["20.00s", "15.00s", "0.75×"]


def test_side_by_side_says_how_fast_the_machine_was_for_each_side() -> None:
    before = {"sample": {"name": "sample", "median": 20.0}, "cpu_probe_ms": {"start": 301.0, "end": 352.0}}
    after = {"sample": {"name": "sample", "median": 15.0}, "cpu_probe_ms": {"start": 298.0, "end": 300.0}}
    assert bench.side_by_side(before, after, "main").splitlines()[-1].endswith("301–352 ms, 298–300 ms")


def test_the_cpu_probe_is_a_positive_duration() -> None:
    assert 0 < bench.cpu_probe_ms(repeat=1) < 60_000


def test_the_disk_probe_writes_synced_bytes_and_leaves_nothing_behind(tmp_path: Path) -> None:
    speed = bench.disk_probe_mib_s(tmp_path, size_mib=4)
    assert speed > 0
    assert list(tmp_path.iterdir()) == []


def test_side_by_side_says_how_fast_the_disk_was_for_each_side() -> None:
    before = {"sample": {"name": "sample", "median": 20.0}, "disk_probe_mib_s": {"start": 98.6, "end": 1210.0}}
    after = {"sample": {"name": "sample", "median": 15.0}, "disk_probe_mib_s": {"start": 1400.2, "end": 1350.0}}
    assert bench.side_by_side(before, after, "main").splitlines()[-1].endswith("99–1,210 MiB/s, 1,400–1,350 MiB/s")


def test_the_fixed_cost_extract_keeps_one_line_in_n_of_each_member_under_its_name(tmp_path: Path) -> None:
    source = tmp_path / "raw"
    source.mkdir()
    lines = [f"E;{(i % 4) + 1};2024;88;44;C10;C101;DE;{i};1\r\n".encode() for i in range(10)]
    with zipfile.ZipFile(source / "Regional-2024-export.zip", "w") as archive:
        archive.writestr("Regional-2024-export/Region_2024_Export.txt", b"".join(lines))
    (source / "README.md").write_text("not a zip: left out")

    extract = bench.sample_extract(source, tmp_path / "extract", every=4)

    assert sorted(path.name for path in extract.iterdir()) == ["Regional-2024-export.zip"]
    with zipfile.ZipFile(extract / "Regional-2024-export.zip") as archive:
        assert archive.namelist() == ["Regional-2024-export/Region_2024_Export.txt"]
        assert archive.read("Regional-2024-export/Region_2024_Export.txt") == lines[0] + lines[4] + lines[8]
