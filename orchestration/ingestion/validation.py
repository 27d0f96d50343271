"""Row-level validation of DGDDI regional rows, vectorised in DuckDB.

Each line of a file is split on `;` and checked against the rules below; valid rows are typed
and kept, the others go to `raw.rejected_rows` with every reason that applies. Rules:
10 fields; flux E/I (and the flux the file name announces); quarter 1-4; plausible year;
known département and its région; A129, CPF4 and country codes known and valid for the
quarter (validity dates of the nomenclatures); CPF4 consistent with its A129; value and mass
non-negative integers.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

EXPECTED_FIELDS = 10
MIN_YEAR = 1993  # the single market's first year: regional series start after it

# Every line, as fields: `staged_fields(line_number, f1 .. f10, extra)`, made by the loader
# (DuckDB's CSV reader, or a line split when the file has blank lines). `extra` holds an 11th
# field if any; missing trailing fields are NULL, empty fields ''.
_DIGITS = "'[0-9]{1,18}'"

# Slow path, for rejected lines only: re-read their raw text and test every field's own rule,
# to say exactly what is wrong. Needs `staged_lines(line_number, line)`.
PARSE_REJECTED_SQL = """
create or replace temp table rejected_lines as
with lines as (
    select
        c.line_number,
        coalesce(rtrim(s.line, chr(13)), '') as raw_line,
        c.expected_region, c.a129_ok, c.cpf4_ok, c.pays_ok, c.mapped_a129
    from checked_lines as c
    join staged_lines as s on s.line_number = c.line_number
    where not c.is_valid
),
split as (
    select *, string_split(raw_line, ';') as f from lines
)
select
    line_number, raw_line, expected_region, a129_ok, cpf4_ok, pays_ok, mapped_a129,
    len(f) as n_fields,
    f[1] as flux,
    f[2] as trimestre_txt,
    f[3] as annee_txt,
    f[4] as code_departement,
    f[5] as code_region,
    f[6] as code_a129,
    f[7] as code_cpf4,
    f[8] as code_pays,
    f[9] as valeur_txt,
    f[10] as masse_txt,
    case when regexp_full_match(f[2], '[1-4]') then cast(f[2] as tinyint) end as trimestre,
    case when regexp_full_match(f[3], '[0-9]{4}') then cast(f[3] as smallint) end as annee,
    case when regexp_full_match(f[9], '[0-9]{1,18}') then cast(f[9] as bigint) end as valeur,
    case when regexp_full_match(f[10], '[0-9]{1,18}') then cast(f[10] as bigint) end as masse
from split
"""

# Codes valid during a quarter: validity months [valid_from, valid_to] overlap the quarter's.
VALID_CODES_SQL = """
create or replace temp table quarters_in_file as
select distinct annee, trimestre,
    cast(annee as integer) * 100 + (trimestre - 1) * 3 + 1 as first_month,
    cast(annee as integer) * 100 + trimestre * 3 as last_month
from (select distinct try_cast(f3 as smallint) as annee, try_cast(f2 as tinyint) as trimestre from staged_fields)
where annee is not null and trimestre is not null;

create or replace temp table valid_codes as
select distinct 'a129' as kind, r.code, q.annee, q.trimestre
from ref_a129 as r join quarters_in_file as q
    on r.valid_from <= q.last_month and r.valid_to >= q.first_month
union all
select distinct 'cpf4', r.code, q.annee, q.trimestre
from ref_cpf4 as r join quarters_in_file as q
    on r.valid_from <= q.last_month and r.valid_to >= q.first_month
union all
select distinct 'pays', r.code, q.annee, q.trimestre
from ref_countries as r join quarters_in_file as q
    on r.valid_from <= q.last_month and r.valid_to >= q.first_month;
"""

# Fast path over every line: the shape of each field, then the reference lookups.
CHECK_SQL = f"""
create or replace temp view checked_lines as
with typed as (
    select
        line_number,
        (
            f10 is not null and extra is null
            and f1 in ('E', 'I')
            and f2 in ('1', '2', '3', '4')
            and regexp_full_match(f3, '[0-9]{{4}}')
            and regexp_full_match(f9, {_DIGITS})
            and regexp_full_match(f10, {_DIGITS})
        ) as well_formed,
        f1 as flux,
        -- lenient casts: validity lookups need the period even on a bad line
        try_cast(f2 as tinyint) as trimestre,
        try_cast(f3 as smallint) as annee,
        f4 as code_departement,
        f5 as code_region,
        f6 as code_a129,
        f7 as code_cpf4,
        f8 as code_pays,
        try_cast(f9 as bigint) as valeur,
        try_cast(f10 as bigint) as masse
    from staged_fields
)
select
    p.*,
    d.region_code as expected_region,
    va.code is not null as a129_ok,
    vc.code is not null as cpf4_ok,
    vp.code is not null as pays_ok,
    m.a129_code as mapped_a129,
    (
        p.well_formed
        and ($expected_flux is null or p.flux = $expected_flux)
        and p.annee between {MIN_YEAR} and $max_year
        and d.region_code = p.code_region
        and va.code is not null
        and vc.code is not null
        and vp.code is not null
        and (m.a129_code is null or m.a129_code = p.code_a129)
    ) is true as is_valid
from typed as p
left join ref_departements as d on d.code = p.code_departement
left join valid_codes as va
    on va.kind = 'a129' and va.code = p.code_a129 and va.annee = p.annee and va.trimestre = p.trimestre
left join valid_codes as vc
    on vc.kind = 'cpf4' and vc.code = p.code_cpf4 and vc.annee = p.annee and vc.trimestre = p.trimestre
left join valid_codes as vp
    on vp.kind = 'pays' and vp.code = p.code_pays and vp.annee = p.annee and vp.trimestre = p.trimestre
left join (select cpf4_code, min(a129_code) as a129_code from ref_cpf4_a129 group by cpf4_code) as m
    on m.cpf4_code = p.code_cpf4
"""

INSERT_VALID_SQL = """
insert into raw.customs_flows
select $vintage_id, line_number, flux, trimestre, annee, code_departement, code_region,
    code_a129, code_cpf4, code_pays, valeur, masse
from checked_lines
where is_valid
"""

_PERIOD = "'in ' || annee_txt || 'Q' || trimestre_txt"

REJECT_REASON_SQL = f"""
case
    when raw_line is null or raw_line = '' then 'empty line'
    when n_fields <> {EXPECTED_FIELDS} then 'expected {EXPECTED_FIELDS} fields, found ' || n_fields
    else concat_ws('; ',
        case when flux not in ('E', 'I') then 'flux ''' || flux || ''' is not E or I' end,
        case when flux in ('E', 'I') and $expected_flux is not null and flux <> $expected_flux
            then 'flux ''' || flux || ''' in a file of flux ''' || $expected_flux || '''' end,
        case when trimestre is null then 'quarter ''' || trimestre_txt || ''' is not 1-4' end,
        case when annee is null or annee not between {MIN_YEAR} and $max_year
            then 'year ''' || annee_txt || ''' is not plausible ({MIN_YEAR}-' || $max_year || ')' end,
        case when expected_region is null
            then 'unknown département ''' || code_departement || '''' end,
        case when expected_region is not null and expected_region <> code_region
            then 'région ''' || code_region || ''' does not match département '''
                || code_departement || ''' (expected ''' || expected_region || ''')' end,
        case
            when code_a129 not in (select code from ref_a129) then 'unknown A129 code ''' || code_a129 || ''''
            when not a129_ok and trimestre is not null and annee is not null
                then 'A129 code ''' || code_a129 || ''' not valid ' || {_PERIOD}
        end,
        case
            when code_cpf4 not in (select code from ref_cpf4) then 'unknown CPF4 code ''' || code_cpf4 || ''''
            when not cpf4_ok and trimestre is not null and annee is not null
                then 'CPF4 code ''' || code_cpf4 || ''' not valid ' || {_PERIOD}
        end,
        case
            when code_pays not in (select code from ref_countries) then 'unknown country code ''' || code_pays || ''''
            when not pays_ok and trimestre is not null and annee is not null
                then 'country code ''' || code_pays || ''' not valid ' || {_PERIOD}
        end,
        case when mapped_a129 is not null and mapped_a129 <> code_a129
            then 'CPF4 ''' || code_cpf4 || ''' belongs to A129 ''' || mapped_a129
                || ''', not ''' || code_a129 || '''' end,
        case when valeur is null then 'value ''' || valeur_txt || ''' is not a non-negative integer' end,
        case when masse is null then 'mass ''' || masse_txt || ''' is not a non-negative integer' end
    )
end
"""

INSERT_REJECTED_SQL = f"""
insert into raw.rejected_rows
select $vintage_id, $file_name, line_number, {REJECT_REASON_SQL}, raw_line
from rejected_lines
order by line_number
"""

PERIODS_SQL = """
insert into raw.vintage_periods
select vintage_id, flux, annee, trimestre, count(*), sum(valeur)
from raw.customs_flows
where vintage_id = $vintage_id
group by vintage_id, flux, annee, trimestre
"""


@dataclass(frozen=True)
class LineCounts:
    """What validation made of a file's lines."""

    lines: int
    valid: int
    wrong_field_count: int
    first_wrong_line: int | None


def _flux_code(flux: str) -> str:
    if flux not in ("E", "I"):
        raise ValueError(f"unexpected flux {flux!r}")
    return flux


def check_and_store(
    con: duckdb.DuckDBPyConnection, *, vintage_id: int, expected_flux: str | None, max_year: int
) -> tuple[int, int]:
    """Check every line of `staged_fields`, append the valid ones to raw.customs_flows; (lines, valid)."""
    con.execute(VALID_CODES_SQL)
    # a view takes no parameters: both values come from our code (flux from the file name)
    flux = "null" if expected_flux is None else f"'{_flux_code(expected_flux)}'"
    con.execute(CHECK_SQL.replace("$expected_flux", flux).replace("$max_year", str(int(max_year))))
    inserted = con.execute(INSERT_VALID_SQL, {"vintage_id": vintage_id}).fetchone()
    lines = con.execute("select count(*) from staged_fields").fetchone()
    assert inserted is not None and lines is not None
    return int(lines[0]), int(inserted[0])


def explain_rejections(con: duckdb.DuckDBPyConnection) -> tuple[int, int | None]:
    """Build `rejected_lines` (needs `staged_lines`); (lines with a wrong field count, the first one)."""
    con.execute(PARSE_REJECTED_SQL)
    wrong = con.execute(
        f"select count(*), min(line_number) from rejected_lines where n_fields <> {EXPECTED_FIELDS}"
    ).fetchone()
    assert wrong is not None
    return int(wrong[0]), wrong[1]


def store_rejected_and_periods(
    con: duckdb.DuckDBPyConnection,
    *,
    vintage_id: int,
    file_name: str,
    expected_flux: str | None,
    max_year: int,
    any_rejected: bool,
) -> None:
    """Append the rejected rows and the periods covered, for one vintage."""
    if any_rejected:
        con.execute(
            INSERT_REJECTED_SQL,
            {"vintage_id": vintage_id, "file_name": file_name, "expected_flux": expected_flux, "max_year": max_year},
        )
    con.execute(PERIODS_SQL, {"vintage_id": vintage_id})
