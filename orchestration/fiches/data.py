"""Load the export tables (never the warehouse) and cut them into one view model per territory."""

from __future__ import annotations

import json
from collections import namedtuple
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from orchestration.settings import SEEDS_DIR

FLOWS = ("export", "import")
LEVELS = ("departement", "region", "france")
OTHERS_CODE = "AUTRES"
CODE_COLUMNS = (
    "level",
    "territory_code",
    "flow",
    "product_code",
    "country_code",
    "departement_code",
    "ti_id",
    "top_partner_code",
)
NUMERIC_COLUMNS = (
    "year",
    "quarter",
    "value_eur",
    "share_of_region",
    "share_of_france",
    "quarters_covered",
    "import_eur",
    "export_eur",
    "balance_eur",
    "export_rank",
    "import_rank",
    "share_of_flow",
    "rank",
    "communes_in_departement",
    "growth_yoy",
    "prior_year_value_eur",
    "growth_1y",
    "value_eur_5y_earlier",
    "cagr_5y",
    "partner_count",
    "partner_hhi",
    "product_count",
    "product_hhi",
    "top_partner_share",
    "top3_partners_share",
    "eu27_share",
    "extra_eu27_share",
    "us_share",
    "cn_share",
    "france_share_of_flow",
    "rca",
    "us_value_eur",
    "mass_kg",
    "unit_value_eur_per_kg",
)
BOOL_COLUMNS = ("is_complete_year", "is_highlighted", "is_main")
DEPARTEMENT_REGIONS_SEED = SEEDS_DIR / "dgddi" / "dgddi_departements.csv"
QUARTERS_SHOWN = 8  # the « Évolution » section: the last two years, quarter by quarter
SPECIALISATION_MIN_SHARE = 0.01  # products under 1 % of the flow are left out of the specialisation ranking
TOP_PRODUCTS = 10

Key = tuple[int, str, str]  # (year, level, territory_code)


class ExportsMissingError(FileNotFoundError):
    """A required export table is not in the exports folder."""


def read_table(exports_dir: Path, name: str, *, required: bool = True) -> pd.DataFrame | None:
    """One contract table, from Parquet when present, else CSV; codes as text, numbers as numbers."""
    parquet, csv = exports_dir / f"{name}.parquet", exports_dir / f"{name}.csv"
    if parquet.is_file():
        df = pd.read_parquet(parquet)
    elif csv.is_file():
        # keep_default_na=False: country "NA" (Namibia) is a code, not a missing value
        with csv.open(encoding="utf-8-sig") as fh:
            french = ";" in fh.readline()  # the `fr` dialect: `;`, decimal comma, BOM
        df = pd.read_csv(csv, dtype=str, keep_default_na=False, sep=";" if french else ",", encoding="utf-8-sig")
        for col in NUMERIC_COLUMNS:
            if french and col in df.columns:
                df[col] = df[col].str.replace(",", ".", regex=False)
    elif required:
        raise ExportsMissingError(f"{name}.csv (or .parquet) not found in {exports_dir}: run `comex refresh` first")
    else:
        return None
    for col in df.columns:
        if col in CODE_COLUMNS:
            df[col] = df[col].astype(str)
        elif col in NUMERIC_COLUMNS:
            df[col] = pd.to_numeric(df[col].replace("", None), errors="coerce")
        elif col in BOOL_COLUMNS and df[col].dtype != bool:
            df[col] = df[col].astype(str).str.lower().isin(["true", "1", "t", "yes"])
    return df


@dataclass(frozen=True)
class Territory:
    """A département, a région or France."""

    level: str
    code: str
    label: str

    @property
    def slug(self) -> str:
        """File stem of its fiche: `departement-88`."""
        return f"{self.level}-{self.code}"

    @property
    def display_label(self) -> str:
        """`France entière` for France, else the DGDDI label."""
        return "France entière" if self.level == "france" else self.label


@dataclass(frozen=True)
class FlowTotal:
    """A territory's total for one flow and year."""

    value_eur: int
    share_of_region: float | None
    share_of_france: float | None
    quarters_covered: int | None
    is_complete_year: bool


@dataclass(frozen=True)
class Partner:
    """One country of the partner balance."""

    code: str
    label: str
    import_eur: int
    export_eur: int
    balance_eur: int


@dataclass(frozen=True)
class Activity:
    """One A129 product of a flow."""

    code: str
    label: str
    value_eur: int
    share_of_flow: float
    rank: int


@dataclass(frozen=True)
class Link:
    """One product × country cell of a flow (either may be the `AUTRES` bucket)."""

    product_code: str
    product_label: str
    country_code: str
    country_label: str
    value_eur: int
    is_highlighted: bool


@dataclass(frozen=True)
class IndustryTerritory:
    """A Territoire d'industrie with communes in the département."""

    ti_id: str
    label: str
    communes: int | None


@dataclass(frozen=True)
class YearTrend:
    """A territory's yearly total for one flow, with its growth (territory_trends)."""

    year: int
    quarters_covered: int
    value_eur: int
    growth_1y: float | None
    cagr_5y: float | None

    @property
    def is_partial(self) -> bool:
        """Fewer than four quarters published."""
        return self.quarters_covered < 4


@dataclass(frozen=True)
class QuarterTotal:
    """A territory's total for one flow and quarter, with its change on the same quarter a year earlier."""

    year: int
    quarter: int
    value_eur: int
    growth_yoy: float | None

    @property
    def label(self) -> str:
        """`T1 2024`."""
        return f"T{self.quarter} {self.year}"


@dataclass(frozen=True)
class Exposure:
    """How concentrated and how exposed a flow is (territory_exposure); shares are fractions of the flow."""

    value_eur: int
    partner_count: int
    partner_hhi: float | None
    product_count: int
    product_hhi: float | None
    top_partner_code: str | None
    top_partner_label: str | None
    top_partner_share: float | None
    top3_partners_share: float | None
    eu27_share: float | None
    extra_eu27_share: float | None
    us_share: float | None
    cn_share: float | None

    @property
    def us_value_eur(self) -> float | None:
        """Trade with the United States in euros."""
        return None if self.us_share is None else self.us_share * self.value_eur


@dataclass(frozen=True)
class ProductWeight:
    """One product of a flow against France (product_specialisation): rca > 1 = the territory is specialised."""

    code: str
    label: str
    value_eur: int
    share_of_flow: float
    france_share_of_flow: float | None
    rca: float | None
    us_value_eur: int

    @property
    def us_share_of_product(self) -> float | None:
        """Part of the product's trade that goes to (comes from) the United States."""
        return self.us_value_eur / self.value_eur if self.value_eur else None


def top_specialisations(
    products: list[ProductWeight], *, min_share: float = SPECIALISATION_MIN_SHARE, n: int = TOP_PRODUCTS
) -> list[ProductWeight]:
    """The `n` products with the highest rca among those weighing at least `min_share` of the flow."""
    kept = [p for p in products if p.rca is not None and p.share_of_flow >= min_share]
    return sorted(kept, key=lambda p: (-(p.rca or 0.0), -p.value_eur, p.code))[:n]


def top_us_products(products: list[ProductWeight], *, n: int = TOP_PRODUCTS) -> list[ProductWeight]:
    """The `n` products with the most trade with the United States, in euros (none when there is no such trade)."""
    kept = [p for p in products if p.us_value_eur > 0]
    return sorted(kept, key=lambda p: (-p.us_value_eur, p.code))[:n]


def last_quarters(quarters: list[QuarterTotal], *, n: int = QUARTERS_SHOWN) -> list[QuarterTotal]:
    """The `n` latest quarters, oldest first."""
    return sorted(quarters, key=lambda q: (q.year, q.quarter))[-n:]


@dataclass
class FicheData:
    """Everything one fiche shows, already cut from the export tables."""

    year: int
    territory: Territory
    region: Territory | None
    totals: dict[str, FlowTotal]
    partners: list[Partner]
    activities: dict[str, list[Activity]]
    links: dict[str, list[Link]]
    industry_territories: list[IndustryTerritory] | None  # None: table absent (not: no TI)
    comparisons: list[Territory] = field(default_factory=list)  # région then France
    trends: dict[str, list[YearTrend]] = field(default_factory=dict)  # every year up to `year`, by flow
    france_trends: dict[str, YearTrend] = field(default_factory=dict)  # France's `year` (empty on France's fiche)
    quarters: dict[str, list[QuarterTotal]] = field(default_factory=dict)  # the last 8 up to `year`
    exposures: dict[str, list[tuple[Territory, Exposure]]] = field(default_factory=dict)  # territory, région, France
    specialisations: dict[str, list[ProductWeight]] = field(default_factory=dict)  # highest rca first
    us_products: dict[str, list[ProductWeight]] = field(default_factory=dict)  # most trade with the US first

    @property
    def france_exposure(self) -> dict[str, Exposure]:
        """France's exposure by flow, the reference of the readings (empty on France's own fiche)."""
        if self.territory.level == "france":
            return {}
        return {
            flow: exposure
            for flow, rows in self.exposures.items()
            for other, exposure in rows
            if other.level == "france"
        }


@dataclass(frozen=True)
class Provenance:
    """What the footer says about the data."""

    vintages: list[tuple[str, str]]  # (file name, sha256)
    industry_source: tuple[str, str] | None  # ANCT's commune list behind industry_territories, if any
    exports_generated_at: str | None
    is_sample: bool


def _rows(df: pd.DataFrame | None) -> dict[Key, list[Any]]:
    """Rows of a table as named tuples, grouped by (year, level, territory_code) in one pass."""
    grouped: dict[Key, list[Any]] = {}
    if df is None or df.empty:
        return grouped
    row_type = namedtuple("Row", list(df.columns))
    columns = [df[col].tolist() for col in df.columns]  # whole columns at once: fast even for Arrow strings
    for row in map(row_type._make, zip(*columns, strict=True)):
        grouped.setdefault((int(row.year), row.level, row.territory_code), []).append(row)
    return grouped


def _int(value: object) -> int:
    return 0 if pd.isna(value) else int(value)


def _float_or_none(value: object) -> float | None:
    return None if pd.isna(value) else float(value)


def _text_or_none(value: object) -> str | None:
    return None if value is None or pd.isna(value) or str(value) == "" else str(value)


@cache
def _seed_departement_regions() -> dict[str, str]:
    if not DEPARTEMENT_REGIONS_SEED.is_file():
        return {}
    seed = pd.read_csv(DEPARTEMENT_REGIONS_SEED, dtype=str, keep_default_na=False)
    return dict(zip(seed["departement_code"], seed["region_code"], strict=True))


class ExportTables:
    """The export tables of one exports folder, indexed by (year, level, territory_code)."""

    def __init__(self, exports_dir: Path) -> None:
        self.exports_dir = exports_dir
        totals = read_table(exports_dir, "territory_totals")
        assert totals is not None
        self.totals = totals
        self._totals = _rows(totals)
        self._partners = _rows(read_table(exports_dir, "partner_balance"))
        self._activities = _rows(read_table(exports_dir, "product_activity"))
        self._links = _rows(read_table(exports_dir, "flow_links"))
        # contract 1.1.0 tables: an older exports folder renders without the sections they feed
        self._quarterly = _rows(read_table(exports_dir, "territory_quarterly_totals", required=False))
        self._trends = _rows(read_table(exports_dir, "territory_trends", required=False))
        self._exposure = _rows(read_table(exports_dir, "territory_exposure", required=False))
        self._specialisation = _rows(read_table(exports_dir, "product_specialisation", required=False))
        ti = read_table(exports_dir, "industry_territories", required=False)
        self._ti: dict[str, list[IndustryTerritory]] | None = None
        if ti is not None:
            self._ti = {}
            main = ti[ti["is_main"]] if "is_main" in ti.columns else ti
            for row in main.sort_values(["departement_code", "ti_label"]).itertuples(index=False):
                communes = getattr(row, "communes_in_departement", None)
                self._ti.setdefault(row.departement_code, []).append(
                    IndustryTerritory(str(row.ti_id), str(row.ti_label), None if pd.isna(communes) else int(communes))
                )
        self._labels = {
            (str(r.level), str(r.territory_code)): str(r.territory_label)
            for r in totals[["level", "territory_code", "territory_label"]].drop_duplicates().itertuples(index=False)
        }
        self._parent_region = self._parent_regions(totals)

    def _parent_regions(self, totals: pd.DataFrame) -> dict[str, str]:
        """Département → DGDDI région code: from the exports when they carry it, else the reference seed."""
        for col in ("parent_region_code", "region_code"):
            if col in totals.columns:
                deps = totals[(totals["level"] == "departement") & totals[col].notna()]
                return dict(zip(deps["territory_code"], deps[col].astype(str), strict=True))
        return _seed_departement_regions()

    def years(self) -> list[int]:
        """Years present in the exports, ascending."""
        return sorted({k[0] for k in self._totals})

    def territories(self, year: int) -> list[Territory]:
        """Every territory with totals for `year`: départements, régions, then France, by code."""
        keys = sorted((k for k in self._totals if k[0] == year), key=lambda k: (LEVELS.index(k[1]), k[2]))
        return [Territory(level, code, self._labels[(level, code)]) for _, level, code in keys]

    def territory(self, level: str, code: str) -> Territory:
        """A territory by level and DGDDI code (`FR` for France)."""
        label = self._labels.get((level, code))
        if label is None:
            raise KeyError(f"no {level} with code {code!r} in {self.exports_dir}/territory_totals")
        return Territory(level, code, label)

    def provenance(self) -> Provenance:
        """Source vintages (with sha256) from manifest.json, and whether they are the bundled sample."""
        path = self.exports_dir / "manifest.json"
        if not path.is_file():
            return Provenance([], None, None, False)
        manifest = json.loads(path.read_text(encoding="utf-8"))
        vintages = [(v["file_name"], v["sha256"]) for v in manifest.get("source_vintages", [])]
        is_sample = bool(manifest.get("synthetic"))
        industry = manifest.get("industry_territories") or {}
        source = industry.get("source") if isinstance(industry, dict) else None
        industry_source = (source["file_name"], source["sha256"]) if isinstance(source, dict) else None
        return Provenance(vintages, industry_source, manifest.get("generated_at"), is_sample)

    def flow_totals(self, key: Key) -> dict[str, FlowTotal]:
        """A territory's totals by flow."""
        totals = {}
        for row in self._totals.get(key, []):
            quarters = getattr(row, "quarters_covered", None)
            complete = getattr(row, "is_complete_year", True)
            totals[str(row.flow)] = FlowTotal(
                value_eur=_int(row.value_eur),
                share_of_region=_float_or_none(getattr(row, "share_of_region", None)),
                share_of_france=_float_or_none(getattr(row, "share_of_france", None)),
                quarters_covered=None if pd.isna(quarters) else int(quarters),
                is_complete_year=True if pd.isna(complete) else bool(complete),
            )
        return totals

    def fiche(self, year: int, territory: Territory) -> FicheData:
        """The view model of one territory's fiche for `year`."""
        key = (year, territory.level, territory.code)
        if key not in self._totals:
            raise KeyError(f"no totals for {territory.level} {territory.code} in {year}")
        region = None
        if territory.level == "departement":
            region_code = self._parent_region.get(territory.code)
            if region_code and ("region", region_code) in self._labels:
                region = self.territory("region", region_code)
        comparisons = [t for t in (region,) if t is not None]
        if territory.level != "france" and ("france", "FR") in self._labels:
            comparisons.append(self.territory("france", "FR"))
        ti = None
        if self._ti is not None and territory.level == "departement":
            ti = self._ti.get(territory.code, [])
        france = [t for t in comparisons if t.level == "france"]
        france_key = (year, "france", "FR")
        products = {flow: self.product_weights(key, flow) for flow in FLOWS}
        return FicheData(
            year=year,
            territory=territory,
            region=region,
            totals=self.flow_totals(key),
            partners=self.partners(key),
            activities={flow: self.activities(key, flow) for flow in FLOWS},
            links={flow: self.links(key, flow) for flow in FLOWS},
            industry_territories=ti,
            comparisons=comparisons,
            trends={flow: self.trends(territory, flow, up_to=year) for flow in FLOWS},
            france_trends=self.year_trends(france_key) if france else {},
            quarters={flow: last_quarters(self.quarters(territory, flow, up_to=year)) for flow in FLOWS},
            exposures=self.compared_exposures(year, [territory, *comparisons]),
            specialisations={flow: top_specialisations(products[flow]) for flow in FLOWS},
            us_products={flow: top_us_products(products[flow]) for flow in FLOWS},
        )

    def _trend(self, row: Any) -> YearTrend:
        return YearTrend(
            year=int(row.year),
            quarters_covered=_int(row.quarters_covered),
            value_eur=_int(row.value_eur),
            growth_1y=_float_or_none(row.growth_1y),
            cagr_5y=_float_or_none(row.cagr_5y),
        )

    def year_trends(self, key: Key) -> dict[str, YearTrend]:
        """One territory's yearly totals and growth for one year, by flow."""
        return {str(row.flow): self._trend(row) for row in self._trends.get(key, [])}

    def trends(self, territory: Territory, flow: str, *, up_to: int) -> list[YearTrend]:
        """A territory's yearly totals of one flow, every year present up to `up_to`, oldest first."""
        years = sorted({k[0] for k in self._trends if k[0] <= up_to})
        keys = [(y, territory.level, territory.code) for y in years]
        return [self._trend(row) for key in keys for row in self._trends.get(key, []) if row.flow == flow]

    def quarters(self, territory: Territory, flow: str, *, up_to: int) -> list[QuarterTotal]:
        """A territory's quarterly totals of one flow up to the end of `up_to`, oldest first."""
        years = sorted({k[0] for k in self._quarterly if k[0] <= up_to})
        rows = [
            row
            for y in years
            for row in self._quarterly.get((y, territory.level, territory.code), [])
            if row.flow == flow
        ]
        quarters = [
            QuarterTotal(int(r.year), int(r.quarter), _int(r.value_eur), _float_or_none(r.growth_yoy)) for r in rows
        ]
        return sorted(quarters, key=lambda q: (q.year, q.quarter))

    def exposure(self, key: Key) -> dict[str, Exposure]:
        """A territory's exposure and concentration by flow."""
        return {
            str(r.flow): Exposure(
                value_eur=_int(r.value_eur),
                partner_count=_int(r.partner_count),
                partner_hhi=_float_or_none(r.partner_hhi),
                product_count=_int(r.product_count),
                product_hhi=_float_or_none(r.product_hhi),
                top_partner_code=_text_or_none(r.top_partner_code),
                top_partner_label=_text_or_none(r.top_partner_label),
                top_partner_share=_float_or_none(r.top_partner_share),
                top3_partners_share=_float_or_none(r.top3_partners_share),
                eu27_share=_float_or_none(r.eu27_share),
                extra_eu27_share=_float_or_none(r.extra_eu27_share),
                us_share=_float_or_none(r.us_share),
                cn_share=_float_or_none(r.cn_share),
            )
            for r in self._exposure.get(key, [])
        }

    def compared_exposures(
        self, year: int, territories: list[Territory]
    ) -> dict[str, list[tuple[Territory, Exposure]]]:
        """By flow, the exposure of each of `territories` (those with a row) in that order."""
        found = {t: self.exposure((year, t.level, t.code)) for t in territories}
        return {flow: [(t, found[t][flow]) for t in territories if flow in found[t]] for flow in FLOWS}

    def product_weights(self, key: Key, flow: str) -> list[ProductWeight]:
        """Every product of one flow with its weight against France (product_specialisation)."""
        return [
            ProductWeight(
                code=str(r.product_code),
                label=str(r.product_label),
                value_eur=_int(r.value_eur),
                share_of_flow=_float_or_none(r.share_of_flow) or 0.0,
                france_share_of_flow=_float_or_none(r.france_share_of_flow),
                rca=_float_or_none(r.rca),
                us_value_eur=_int(r.us_value_eur),
            )
            for r in self._specialisation.get(key, [])
            if r.flow == flow
        ]

    def partners(self, key: Key) -> list[Partner]:
        """Partner balance rows, largest trade (imports + exports) first."""
        rows = [
            Partner(
                str(r.country_code), str(r.country_label), _int(r.import_eur), _int(r.export_eur), _int(r.balance_eur)
            )
            for r in self._partners.get(key, [])
        ]
        return sorted(rows, key=lambda p: (-(p.import_eur + p.export_eur), p.code))

    def activities(self, key: Key, flow: str) -> list[Activity]:
        """Products of one flow by rank."""
        rows = [
            Activity(str(r.product_code), str(r.product_label), _int(r.value_eur), float(r.share_of_flow), int(r.rank))
            for r in self._activities.get(key, [])
            if r.flow == flow
        ]
        return sorted(rows, key=lambda a: (a.rank, a.code))

    def links(self, key: Key, flow: str) -> list[Link]:
        """Sankey cells of one flow."""
        return [
            Link(
                str(r.product_code),
                str(r.product_label),
                str(r.country_code),
                str(r.country_label),
                _int(r.value_eur),
                bool(r.is_highlighted),
            )
            for r in self._links.get(key, [])
            if r.flow == flow
        ]
