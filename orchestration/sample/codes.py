"""Reference codes for the generator, read from the project's dbt seeds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
SPECIAL_COUNTRY_CODES = ("FR", "QP", "QQ", "QR", "QS", "QU")
AGGREGATE_COUNTRY_CODES = ("EU",)


@dataclass(frozen=True)
class CodeTables:
    """Code lists sorted by code, each with the (from, to) YYYYMM validity intervals.

    ``products`` are sorted by (A129, CPF4) so a product index also orders rows like DGDDI.
    """

    departements: pd.DataFrame  # departement_code, region_code
    products: pd.DataFrame  # cpf4_code, a129_code
    product_validity: pd.DataFrame  # cpf4_code, valid_from, valid_to
    countries: pd.DataFrame  # country_code, is_special
    country_validity: pd.DataFrame  # country_code, valid_from, valid_to

    def products_valid_in(self, year: int) -> np.ndarray:
        """Boolean mask over ``products``: valid for the whole of ``year``."""
        valid = _valid_codes(self.product_validity, "cpf4_code", year)
        return self.products["cpf4_code"].isin(valid).to_numpy()

    def countries_valid_in(self, year: int) -> np.ndarray:
        """Boolean mask over ``countries``: valid for the whole of ``year``."""
        valid = _valid_codes(self.country_validity, "country_code", year)
        return self.countries["country_code"].isin(valid).to_numpy()


def _read_seed(path: Path) -> pd.DataFrame:
    """Read a seed CSV keeping every code as text ("NA" is Namibia, not missing)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    for column in ("valid_from", "valid_to"):
        if column in frame.columns:
            frame[column] = frame[column].astype("int64")
    return frame


def _valid_codes(validity: pd.DataFrame, code_column: str, year: int) -> set[str]:
    """Codes having an interval that covers every month of ``year``."""
    covers = (validity["valid_from"] <= year * 100 + 1) & (validity["valid_to"] >= year * 100 + 12)
    return set(validity.loc[covers, code_column])


def _load_departements(seeds_dir: Path) -> pd.DataFrame:
    frame = _read_seed(seeds_dir / "dgddi" / "dgddi_departements.csv")
    frame = frame[["departement_code", "region_code"]].drop_duplicates("departement_code")
    return frame.sort_values("departement_code", ignore_index=True)


def _load_products(seeds_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """CPF4 codes in both DGDDI and INSEE lists, with INSEE's A129 (known to DGDDI)."""
    cpf4 = _read_seed(seeds_dir / "dgddi" / "dgddi_cpf4.csv")
    insee = _read_seed(seeds_dir / "insee" / "insee_cpf4_na2008.csv")
    mapping = insee[["cpf4_code", "a129_code"]].drop_duplicates("cpf4_code")
    a129_path = seeds_dir / "dgddi" / "dgddi_a129.csv"
    if a129_path.exists():
        mapping = mapping[mapping["a129_code"].isin(_read_seed(a129_path)["a129_code"])]
    validity = cpf4[["cpf4_code", "valid_from", "valid_to"]]
    validity = validity[validity["cpf4_code"].isin(mapping["cpf4_code"])]
    products = mapping[mapping["cpf4_code"].isin(validity["cpf4_code"])]
    products = products.sort_values(["a129_code", "cpf4_code"], ignore_index=True)
    return products, validity.reset_index(drop=True)


def _load_countries(seeds_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    validity = _read_seed(seeds_dir / "dgddi" / "dgddi_countries.csv")
    validity = validity[["country_code", "valid_from", "valid_to"]]
    codes = sorted(set(validity["country_code"]))
    countries = pd.DataFrame({"country_code": codes})
    countries["is_special"] = countries["country_code"].isin(SPECIAL_COUNTRY_CODES)
    # Other Q* codes (withdrawn "undetermined" variants) and aggregates are never generated.
    drop = ~countries["is_special"] & countries["country_code"].str.match(r"^Q[P-Z]$")
    drop |= countries["country_code"].isin(AGGREGATE_COUNTRY_CODES)
    return countries[~drop].reset_index(drop=True), validity.reset_index(drop=True)


def load_code_tables(seeds_dir: Path | None = None) -> CodeTables:
    """Load départements, products and countries from ``seeds_dir`` (default ``<repo>/seeds``)."""
    root = Path(seeds_dir) if seeds_dir is not None else DEFAULT_SEEDS_DIR
    products, product_validity = _load_products(root)
    countries, country_validity = _load_countries(root)
    return CodeTables(
        departements=_load_departements(root),
        products=products,
        product_validity=product_validity,
        countries=countries,
        country_validity=country_validity,
    )
