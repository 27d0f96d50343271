"""Deterministic generator of SYNTHETIC DGDDI regional foreign-trade files.

Rows follow the DGDDI "statistiques régionales" format
(``Flux;Trimestre;Année;Code département;Code région;Code A129;Code CPF4;Code Pays;Valeur;Masse``)
and its two packagings (annual zips, 5-quarter "dernière publication" files). The 2024
totals reproduce :data:`~orchestration.sample.calibration.CALIBRATION_2024` to the euro.
Same arguments give byte-identical files: every random draw comes from a
``numpy.random.default_rng`` seeded by (seed, stream, year, département, flow).
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from orchestration.sample.allocation import allocate_with_floor, gumbel_top_k, largest_remainder
from orchestration.sample.calibration import (
    CALIBRATION_2024,
    CALIBRATION_YEAR,
    COUNTRY_WEIGHTS,
    DEFAULT_DEPARTMENT_WEIGHT,
    DEFAULT_GROWTH,
    DEPARTMENT_WEIGHTS,
    IMPORT_MULTIPLIERS,
    OTHER_COUNTRY_WEIGHT,
    OTHER_SECTION_EUR_PER_KG,
    OTHER_SECTION_WEIGHT,
    SECTION_EUR_PER_KG,
    SECTION_WEIGHTS,
    SPECIAL_COUNTRY_WEIGHTS,
    YEAR_FACTORS,
)
from orchestration.sample.codes import CodeTables, load_code_tables
from orchestration.sample.flows import FLOW_NAMES, FLUXES

COLUMNS = (
    "flux",
    "trimestre",
    "annee",
    "code_departement",
    "code_region",
    "code_a129",
    "code_cpf4",
    "code_pays",
    "valeur",
    "masse",
)
SAMPLE_SCALE = 150_000
FULL_SCALE = 4_000_000
LAST_PUBLICATION_QUARTERS = 5
#: Cells forced into every (département, flow, year): distinct CPF4, A129 and countries,
#: so each has at least 12 of each (top 10 + "autres" stays meaningful).
BACKBONE = 14
#: Share of the rows of already-published years revised in a last-publication file.
REVISED_SHARE = 0.2
ZERO_MASS_SHARE = 0.002

_STREAM_ATTRIBUTES = 1
_STREAM_TOTALS = 2
_STREAM_SUPPORT = 3
_STREAM_YEAR = 4
_STREAM_REVISION = 5

_CSV_OPTIONS = pacsv.WriteOptions(
    include_header=False, delimiter=";", eol="\r\n", quoting_style="none", batch_size=65_536
)


@dataclass(frozen=True)
class _Model:
    """Year-independent attributes derived from the code tables and the seed."""

    codes: CodeTables
    product_log_weight: np.ndarray  # (n_products,)
    product_a129: np.ndarray  # (n_products,) index into the sorted distinct A129 codes
    eur_per_kg: np.ndarray  # (n_products,)
    country_log_weight: np.ndarray  # (2, n_countries) export, import
    country_is_special: np.ndarray  # (n_countries,)
    base_totals: np.ndarray  # (n_departements, 2) calibrated CALIBRATION_YEAR totals


@dataclass(frozen=True)
class _Rows:
    """Rows as integer codes (indices into the code tables); cheap to sort and slice."""

    flow: np.ndarray
    quarter: np.ndarray
    year: np.ndarray
    dept: np.ndarray
    product: np.ndarray
    country: np.ndarray
    value: np.ndarray
    mass: np.ndarray

    def take(self, index: np.ndarray) -> _Rows:
        """Rows selected by a boolean mask or an index array."""
        return _Rows(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def sorted(self) -> _Rows:
        """Rows in DGDDI order: flux, quarter, year, département, A129, CPF4, country."""
        keys = (self.country, self.product, self.dept, self.year, self.quarter, self.flow)
        return self.take(np.lexsort(keys))

    @staticmethod
    def concat(parts: Sequence[_Rows]) -> _Rows:
        """Rows of all ``parts``, in order."""
        return _Rows(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(_Rows)})


# --- model -------------------------------------------------------------------------------


def _product_attributes(products: pd.DataFrame, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Log popularity and €/kg of every product (heavy-tailed, section-dependent)."""
    rng = np.random.default_rng([seed, _STREAM_ATTRIBUTES, 0])
    section = products["a129_code"].str[0].tolist()
    weight = np.array([SECTION_WEIGHTS.get(s, OTHER_SECTION_WEIGHT) for s in section])
    eur_per_kg = np.array([SECTION_EUR_PER_KG.get(s, OTHER_SECTION_EUR_PER_KG) for s in section])
    log_weight = np.log(weight) + rng.normal(0.0, 1.3, len(section))
    return log_weight, eur_per_kg * rng.lognormal(0.0, 0.8, len(section))


def _country_log_weights(codes: list[str], seed: int) -> np.ndarray:
    """(2, n) log weights of partner countries for export and import."""
    rng = np.random.default_rng([seed, _STREAM_ATTRIBUTES, 1])
    others = OTHER_COUNTRY_WEIGHT * rng.lognormal(0.0, 0.8, len(codes))
    export = np.array(
        [
            SPECIAL_COUNTRY_WEIGHTS.get(code, COUNTRY_WEIGHTS.get(code, float(other)))
            for code, other in zip(codes, others, strict=True)
        ]
    )
    multipliers = np.array([IMPORT_MULTIPLIERS.get(code, 1.0) for code in codes])
    return np.log(np.vstack([export, export * multipliers]))


def _calibrate_flow(departements: pd.DataFrame, weights: np.ndarray, flux: str) -> np.ndarray:
    """Département totals of one flow hitting every CALIBRATION_2024 target exactly."""
    dept_codes = departements["departement_code"].to_numpy()
    region_codes = departements["region_code"].to_numpy()
    totals = np.zeros(len(dept_codes), dtype=np.int64)
    assigned = np.zeros(len(dept_codes), dtype=bool)
    for code, targets in sorted(CALIBRATION_2024["departement"].items()):
        position = np.flatnonzero(dept_codes == code)
        if position.size != 1:
            raise ValueError(f"calibrated département {code!r} missing from the seeds")
        totals[position] = targets[flux]
        assigned[position] = True
    for region, targets in sorted(CALIBRATION_2024["region"].items()):
        members = region_codes == region
        free = members & ~assigned
        remainder = targets[flux] - totals[members & assigned].sum()
        totals[free] = largest_remainder(int(remainder), weights[free])
        assigned |= members
    france = CALIBRATION_2024["france"]["FR"][flux]
    remainder = france - totals[assigned].sum()
    totals[~assigned] = largest_remainder(int(remainder), weights[~assigned])
    return totals


def _calibrated_totals(departements: pd.DataFrame, seed: int) -> np.ndarray:
    """(n_departements, 2) totals for CALIBRATION_YEAR, exact at every calibrated level."""
    rng = np.random.default_rng([seed, _STREAM_TOTALS])
    base = np.array(
        [DEPARTMENT_WEIGHTS.get(code, DEFAULT_DEPARTMENT_WEIGHT) for code in departements["departement_code"]]
    )
    weights = base * rng.lognormal(0.0, 0.15, base.shape)
    columns = [_calibrate_flow(departements, weights[:, f], flux) for f, flux in enumerate(FLUXES)]
    return np.column_stack(columns)


def _build_model(codes: CodeTables, seed: int) -> _Model:
    """Derive every year-independent attribute from the codes and the seed."""
    log_weight, eur_per_kg = _product_attributes(codes.products, seed)
    _, a129_index = np.unique(codes.products["a129_code"].to_numpy(), return_inverse=True)
    countries = codes.countries["country_code"].tolist()
    return _Model(
        codes=codes,
        product_log_weight=log_weight,
        product_a129=a129_index,
        eur_per_kg=eur_per_kg,
        country_log_weight=_country_log_weights(countries, seed),
        country_is_special=codes.countries["is_special"].to_numpy(dtype=bool),
        base_totals=_calibrated_totals(codes.departements, seed),
    )


# --- yearly totals and row budgets ------------------------------------------------------


def _year_factor(year: int) -> np.ndarray:
    """National (export, import) level of ``year`` relative to CALIBRATION_YEAR."""
    if year in YEAR_FACTORS:
        return np.array(YEAR_FACTORS[year])
    anchor = min(YEAR_FACTORS) if year < min(YEAR_FACTORS) else max(YEAR_FACTORS)
    return np.array(YEAR_FACTORS[anchor]) * (1.0 + DEFAULT_GROWTH) ** (year - anchor)


def _year_totals(model: _Model, year: int, seed: int) -> np.ndarray:
    """(n_departements, 2) totals of ``year``: calibrated for 2024, scaled and jittered else."""
    if year == CALIBRATION_YEAR:
        return model.base_totals
    rng = np.random.default_rng([seed, _STREAM_TOTALS, year])
    sigma = 0.03 * np.sqrt(abs(year - CALIBRATION_YEAR))
    jitter = rng.lognormal(0.0, sigma, model.base_totals.shape)
    return np.rint(model.base_totals * _year_factor(year) * jitter).astype(np.int64)


def _row_budgets(model: _Model, scale: int) -> np.ndarray:
    """(n_departements, 2) rows per year; bigger territories get more (sub-linearly)."""
    weights = model.base_totals.ravel().astype(np.float64) ** 0.6
    return allocate_with_floor(scale, weights, BACKBONE + 2).reshape(model.base_totals.shape)


# --- one (département, flow, year) -------------------------------------------------------


def _best_in_a129(product_a129: np.ndarray, keys: np.ndarray, a129: int) -> int:
    """The product of A129 index ``a129`` with the highest key."""
    members = np.flatnonzero(product_a129 == a129)
    return int(members[np.argmax(keys[members])])


def _choose_products(rng: np.random.Generator, model: _Model, log_weight: np.ndarray, count: int) -> np.ndarray:
    """``count`` products; the first BACKBONE ones belong to distinct A129 codes."""
    with np.errstate(divide="ignore"):
        a129_log = np.log(np.bincount(model.product_a129, weights=np.exp(log_weight)))
    a129s = gumbel_top_k(rng, a129_log, BACKBONE)
    if a129s.size < BACKBONE:
        raise ValueError(f"fewer than {BACKBONE} A129 codes valid in the year")
    keys = log_weight + rng.gumbel(size=log_weight.shape)
    backbone = np.array([_best_in_a129(model.product_a129, keys, a) for a in a129s])
    rest = log_weight.copy()
    rest[backbone] = -np.inf
    return np.concatenate([backbone, gumbel_top_k(rng, rest, count - BACKBONE)])


def _choose_countries(rng: np.random.Generator, model: _Model, log_weight: np.ndarray, count: int) -> np.ndarray:
    """``count`` countries; the first BACKBONE ones are ordinary (non-special) partners."""
    regular = np.where(model.country_is_special, -np.inf, log_weight)
    backbone = gumbel_top_k(rng, regular, BACKBONE)
    if backbone.size < BACKBONE:
        raise ValueError(f"fewer than {BACKBONE} countries valid in the year")
    rest = log_weight.copy()
    rest[backbone] = -np.inf
    return np.concatenate([backbone, gumbel_top_k(rng, rest, count - BACKBONE)])


def _choose_cells(
    rng: np.random.Generator, product_log: np.ndarray, country_log: np.ndarray, n_rows: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sparse (product, country, quarter) cells and their value weights.

    The BACKBONE diagonal cells are always kept; the others are a weighted sample without
    replacement (Gumbel top-k) where a pair's key is shared by its quarters, so trading
    pairs tend to recur through the year.
    """
    shape = (product_log.size, country_log.size, 4)
    if n_rows > shape[0] * shape[1] * shape[2] // 2:
        raise ValueError("scale too large for the number of valid codes")
    quarter_log = np.log(np.clip(1.0 + 0.12 * rng.standard_normal(4), 0.5, None))
    pair_key = product_log[:, None] + country_log[None, :] + rng.gumbel(size=shape[:2])
    keys = pair_key[:, :, None] + quarter_log + 0.35 * rng.gumbel(size=shape)
    diagonal = np.arange(BACKBONE)
    backbone = np.ravel_multi_index((diagonal, diagonal, diagonal % 4), shape)
    keys = keys.ravel()
    keys[backbone] = -np.inf
    top = np.argpartition(-keys, n_rows - BACKBONE - 1)[: n_rows - BACKBONE]
    cells = np.sort(np.concatenate([backbone, top]))
    p, c, q = np.unravel_index(cells, shape)
    log_value = product_log[p] + country_log[c] + quarter_log[q] + rng.normal(0.0, 1.0, cells.size)
    return p, c, q, np.exp(log_value - log_value.max())


def _masses(rng: np.random.Generator, values: np.ndarray, eur_per_kg: np.ndarray) -> np.ndarray:
    """Whole kilograms, roughly value / (product €/kg); a few zero masses."""
    mass = np.rint(values / eur_per_kg * rng.lognormal(0.0, 0.3, values.size)).astype(np.int64)
    mass[rng.random(values.size) < ZERO_MASS_SHARE] = 0
    return mass


def _group_rows(
    model: _Model,
    year: int,
    dept: int,
    flow: int,
    n_rows: int,
    total: int,
    valid: tuple[np.ndarray, np.ndarray],
    seed: int,
) -> _Rows:
    """Rows of one (département, flow, year), values summing exactly to ``total``."""
    support = np.random.default_rng([seed, _STREAM_SUPPORT, dept, flow])
    product_log = model.product_log_weight + support.normal(0.0, 1.5, valid[0].size)
    country_log = model.country_log_weight[flow] + support.normal(0.0, 0.8, valid[1].size)
    product_log[~valid[0]] = -np.inf
    country_log[~valid[1]] = -np.inf

    rng = np.random.default_rng([seed, _STREAM_YEAR, year, dept, flow])
    n_products = min(int(valid[0].sum()), max(BACKBONE + 6, round(2.2 * np.sqrt(n_rows))))
    n_countries = min(int(valid[1].sum()), max(BACKBONE + 4, round(1.1 * np.sqrt(n_rows))))
    products = _choose_products(rng, model, product_log, n_products)
    countries = _choose_countries(rng, model, country_log, n_countries)
    p, c, q, weights = _choose_cells(rng, product_log[products], country_log[countries], n_rows)
    if total < n_rows:
        raise ValueError(f"total {total} too small for {n_rows} rows of at least 1 euro")
    values = largest_remainder(total - n_rows, weights) + 1
    return _Rows(
        flow=np.full(n_rows, flow, dtype=np.int8),
        quarter=(q + 1).astype(np.int8),
        year=np.full(n_rows, year, dtype=np.int16),
        dept=np.full(n_rows, dept, dtype=np.int16),
        product=products[p].astype(np.int16),
        country=countries[c].astype(np.int16),
        value=values,
        mass=_masses(rng, values, model.eur_per_kg[products[p]]),
    )


# --- one year ---------------------------------------------------------------------------


def _year_rows(model: _Model, year: int, scale: int, seed: int) -> _Rows:
    """Every row of ``year`` (both flows), sorted in DGDDI order."""
    valid = (model.codes.products_valid_in(year), model.codes.countries_valid_in(year))
    budgets = _row_budgets(model, scale)
    totals = _year_totals(model, year, seed)
    parts = [
        _group_rows(model, year, d, f, int(budgets[d, f]), int(totals[d, f]), valid, seed)
        for d in range(budgets.shape[0])
        for f in range(len(FLUXES))
    ]
    return _Rows.concat(parts).sorted()


def _to_table(rows: _Rows, codes: CodeTables) -> pa.Table:
    """Materialise coded rows as an Arrow table with the DGDDI column order."""

    def decode(index: np.ndarray, labels: pd.Series | Sequence[str]) -> pa.Array:
        return pa.array(list(labels), pa.string()).take(pa.array(index.astype(np.int32)))

    departements, products = codes.departements, codes.products
    columns = [
        decode(rows.flow, FLUXES),
        pa.array(rows.quarter.astype(np.int64)),
        pa.array(rows.year.astype(np.int64)),
        decode(rows.dept, departements["departement_code"]),
        decode(rows.dept, departements["region_code"]),
        decode(rows.product, products["a129_code"]),
        decode(rows.product, products["cpf4_code"]),
        decode(rows.country, codes.countries["country_code"]),
        pa.array(rows.value),
        pa.array(rows.mass),
    ]
    return pa.table(columns, names=list(COLUMNS))


def _model_for(seeds_dir: Path | None, seed: int) -> _Model:
    return _build_model(load_code_tables(seeds_dir), seed)


def generate_year(year: int, *, scale: int, seed: int = 2024, seeds_dir: Path | None = None) -> pd.DataFrame:
    """Every synthetic row of ``year`` (both flows, ``scale`` rows), sorted like DGDDI.

    Columns: :data:`COLUMNS`. For 2024 the totals match CALIBRATION_2024 exactly.
    """
    model = _model_for(seeds_dir, seed)
    return _to_table(_year_rows(model, year, scale, seed), model.codes).to_pandas()


# --- files ------------------------------------------------------------------------------


def _write_text(table: pa.Table, sink: str | IO[bytes]) -> None:
    """DGDDI text: no header, ``;``, CRLF, UTF-8 without BOM, no quoting."""
    pacsv.write_csv(table, sink, _CSV_OPTIONS)


def _write_zip(path: Path, member: str, table: pa.Table, date_time: tuple[int, ...]) -> None:
    """A zip holding exactly ``member``, with fixed metadata so bytes are reproducible."""
    info = zipfile.ZipInfo(member, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    with zipfile.ZipFile(path, "w") as archive, archive.open(info, "w", force_zip64=True) as out:
        _write_text(table, out)


def _flow_table(rows: _Rows, flow: int, codes: CodeTables) -> pa.Table:
    return _to_table(rows.take(rows.flow == flow), codes)


def annual_member_name(year: int, flux: str) -> str:
    """Member path inside ``Regional-YYYY-export.zip`` / ``-import.zip``."""
    name = FLOW_NAMES[flux]
    return f"Regional-{year}-{name}/Region_{year}_{name.capitalize()}.txt"


def write_annual_zips(
    out_dir: Path,
    years: Sequence[int],
    *,
    scale: int,
    seed: int = 2024,
    seeds_dir: Path | None = None,
) -> list[Path]:
    """Write ``Regional-YYYY-export.zip`` and ``Regional-YYYY-import.zip`` for each year."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model = _model_for(seeds_dir, seed)
    paths: list[Path] = []
    for year in years:
        rows = _year_rows(model, year, scale, seed)
        for flow, flux in enumerate(FLUXES):
            path = out_dir / f"Regional-{year}-{FLOW_NAMES[flux]}.zip"
            table = _flow_table(rows, flow, model.codes)
            _write_zip(path, annual_member_name(year, flux), table, (year + 1, 2, 1, 0, 0, 0))
            paths.append(path)
    return paths


def last_publication_quarters(last_quarter: tuple[int, int]) -> list[tuple[int, int]]:
    """The 5 consecutive (year, quarter) ending at ``last_quarter``, oldest first."""
    year, quarter = last_quarter
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1..4, got {quarter}")
    last = year * 4 + quarter - 1
    return [(n // 4, n % 4 + 1) for n in range(last - LAST_PUBLICATION_QUARTERS + 1, last + 1)]


def _revise(rows: _Rows, last_quarter: tuple[int, int], revision: float, seed: int) -> _Rows:
    """Perturb ±(revision/2..revision) a seeded subset of rows of earlier years."""
    rng = np.random.default_rng([seed, _STREAM_REVISION, *last_quarter])
    n = rows.value.size
    picked = (rows.year < last_quarter[0]) & (rng.random(n) < REVISED_SHARE)
    magnitude = rng.uniform(revision / 2, revision, n) * rng.choice([-1.0, 1.0], n)
    factor = np.where(picked, 1.0 + magnitude, 1.0)
    value = np.where(picked, np.maximum(1, np.rint(rows.value * factor)), rows.value)
    mass = np.where(picked, np.rint(rows.mass * factor), rows.mass)
    return _Rows(
        flow=rows.flow,
        quarter=rows.quarter,
        year=rows.year,
        dept=rows.dept,
        product=rows.product,
        country=rows.country,
        value=value.astype(np.int64),
        mass=mass.astype(np.int64),
    )


def _last_publication_rows(model: _Model, quarters: list[tuple[int, int]], scale: int, seed: int) -> _Rows:
    """Rows of the given quarters, identical to those of the annual files."""
    parts = []
    for year in sorted({y for y, _ in quarters}):
        rows = _year_rows(model, year, scale, seed)
        wanted = [q for y, q in quarters if y == year]
        parts.append(rows.take(np.isin(rows.quarter, wanted)))
    return _Rows.concat(parts)


def write_last_publication(
    out_dir: Path,
    last_quarter: tuple[int, int],
    *,
    scale: int,
    seed: int = 2024,
    revision: float = 0.0,
    zipped: bool = False,
    seeds_dir: Path | None = None,
) -> list[Path]:
    """Write ``REGIONAL_CPF4PAYSE.txt`` / ``REGIONAL_CPF4PAYSI.txt`` for 5 quarters.

    Quarters of years before ``last_quarter``'s year (already in an annual file) are
    revised when ``revision`` > 0: a seeded 20 % of their rows move by ±revision/2..revision.
    With ``zipped``, each text file is wrapped alone in ``REGIONAL_CPF4PAYS{E,I}.zip``.
    """
    if not 0.0 <= revision < 1.0:
        raise ValueError(f"revision must be in [0, 1), got {revision}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model = _model_for(seeds_dir, seed)
    rows = _last_publication_rows(model, last_publication_quarters(last_quarter), scale, seed)
    if revision > 0:
        rows = _revise(rows, last_quarter, revision, seed)
    rows = rows.sorted()
    year, quarter = last_quarter
    published = (year + quarter // 4, quarter * 3 % 12 + 2, 15, 0, 0, 0)
    paths: list[Path] = []
    for flow, flux in enumerate(FLUXES):
        member = f"REGIONAL_CPF4PAYS{flux}.txt"
        table = _flow_table(rows, flow, model.codes)
        if zipped:
            path = out_dir / f"REGIONAL_CPF4PAYS{flux}.zip"
            _write_zip(path, member, table, published)
        else:
            path = out_dir / member
            _write_text(table, str(path))
        paths.append(path)
    return paths
