"""The plain pandas baseline of `make bench`: the marts' figures from the raw annual text.

For every département (column 4), its région (column 5) and France, per year and flow: territory
totals; A129 products (column 6) and partner countries ranked by value desc, code asc, with their
share of the flow; Sankey links, top 10 products × top 10 countries, the rest in AUTRES buckets.
Written as a pandas user would, without the warehouse's vintages, labels or checks:
`python -m orchestration.bench_pandas TEXT_DIR` prints the row counts as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

TOP_N = 10
COLUMNS = ["flux", "trimestre", "annee", "departement", "region", "a129", "cpf4", "pays", "valeur", "masse"]
USED = {"flux": str, "annee": "int64", "departement": str, "region": str, "a129": str, "pays": str, "valeur": "int64"}
KEYS = ["annee", "flow", "level", "territory"]


def read(text_dir: Path) -> pd.DataFrame:
    """Every DGDDI text file of the folder: `;`, no header, codes as text (country "NA" is Namibia, not missing)."""
    frames = [
        pd.read_csv(path, sep=";", header=None, names=COLUMNS, usecols=list(USED), dtype=USED, keep_default_na=False)
        for path in sorted(text_dir.glob("*.txt"))
    ]
    return pd.concat(frames, ignore_index=True)


def by_territory(raw: pd.DataFrame) -> pd.DataFrame:
    """Values per territory × A129 × country: départements, their régions and France stacked."""
    raw["flow"] = raw["flux"].map({"E": "export", "I": "import"})
    cells = raw.groupby(["annee", "flow", "departement", "region", "a129", "pays"], as_index=False)["valeur"].sum()
    levels = [
        cells.assign(level="departement", territory=cells["departement"]),
        cells.assign(level="region", territory=cells["region"]),
        cells.assign(level="france", territory="FR"),
    ]
    stacked = pd.concat(levels, ignore_index=True)
    return stacked.groupby([*KEYS, "a129", "pays"], as_index=False)["valeur"].sum()


def ranked(flows: pd.DataFrame, code: str) -> pd.DataFrame:
    """Totals by `code` per territory and flow, ranked by value desc then code asc, with share of the flow."""
    sums = flows.groupby([*KEYS, code], as_index=False)["valeur"].sum()
    sums = sums[sums["valeur"] > 0].sort_values([*KEYS, "valeur", code], ascending=[True] * 4 + [False, True])
    sums["share_of_flow"] = sums["valeur"] / sums.groupby(KEYS)["valeur"].transform("sum")
    sums["rank"] = sums.groupby(KEYS).cumcount() + 1
    return sums


def links(flows: pd.DataFrame, products: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Product × country cells, products and countries beyond the top N folded into AUTRES."""
    cells = flows[flows["valeur"] > 0]
    cells = cells.merge(products[[*KEYS, "a129", "rank"]], on=[*KEYS, "a129"]).merge(
        countries[[*KEYS, "pays", "rank"]], on=[*KEYS, "pays"], suffixes=("_product", "_country")
    )
    cells["a129"] = cells["a129"].where(cells["rank_product"] <= TOP_N, "AUTRES")
    cells["pays"] = cells["pays"].where(cells["rank_country"] <= TOP_N, "AUTRES")
    return cells.groupby([*KEYS, "a129", "pays"], as_index=False)["valeur"].sum()


def main(argv: list[str] | None = None) -> None:
    text_dir = Path((argv if argv is not None else sys.argv[1:])[0])
    flows = by_territory(read(text_dir))
    totals = flows.groupby(KEYS, as_index=False)["valeur"].sum()
    products, countries = ranked(flows, "a129"), ranked(flows, "pays")
    sankey = links(flows, products, countries)
    counts = {"territory_totals": len(totals), "product_activity": len(products), "partner_ranking": len(countries)}
    print(json.dumps(counts | {"flow_links": len(sankey), "value_eur": int(totals["valeur"].sum())}))


if __name__ == "__main__":
    main()
