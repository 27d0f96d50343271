"""Row-level reading of DGDDI regional rows, vectorised in DuckDB.

Only a row that cannot be read is rejected: not 10 fields; flux not E/I; quarter not 1-4; a
year that is not 4 digits between MIN_YEAR and this year; an empty or non-alphanumeric code; a
value or mass that is not a non-negative integer. A well-formed row whose codes are in no label
list is data: it is kept (the marts label and report it). Rejected rows go to
`raw.rejected_rows` with every reason, and with their period and value where those can be
read, so that every euro of a file is either kept or rejected (`raw.vintage_reconciliation`).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from orchestration.text_decoding import OVERLONG_MARKER

EXPECTED_FIELDS = 10
MIN_YEAR = 1993  # the single market's first year: regional series start after it
_RAW_LINE_CHARS = 1000  # what a rejected row keeps of an (overlong) line

# Every line, as fields: `staged_fields(line_number, f1 .. f10, extra)`, made by the loader
# (DuckDB's CSV reader, or a line split when the file has blank lines). `extra` holds an 11th
# field if any; missing trailing fields are NULL, empty fields ''.
_DIGITS = "'[0-9]{1,18}'"
_CODE = "'[0-9A-Za-z]{1,8}'"
_CODE_FIELDS = {  # field -> (column, how a message names it)
    "f4": ("code_departement", "département code"),
    "f5": ("code_region", "région code"),
    "f6": ("code_a129", "A129 code"),
    "f7": ("code_cpf4", "CPF4 code"),
    "f8": ("code_pays", "country code"),
}
# The period and value of a line, wherever they can be read (rejected lines included): what the
# reconciliation counts as the file's euros per flow and quarter.
_PERIOD_AND_VALUE = """
    case when f1 in ('E', 'I') then f1 end as flux_read,
    case when f2 in ('1', '2', '3', '4') then cast(f2 as integer) end as trimestre_read,
    case when regexp_full_match(f3, '[0-9]{4}') then cast(f3 as integer) end as annee_read,
    case when regexp_full_match(f9, '[0-9]{1,18}') then cast(f9 as bigint) end as valeur_read
"""

# A view, not a table: the readable lines go straight to raw.customs_flows in one pass; the
# reconciliation reads only the period and value, and the slow path for rejected lines (rare)
# evaluates the rules again.
CHECK_SQL = f"""
create or replace temp view checked_lines as
select
    line_number,
    (
        f10 is not null and extra is null
        and f1 in ('E', 'I')
        and f2 in ('1', '2', '3', '4')
        and regexp_full_match(f3, '[0-9]{{4}}')
        and try_cast(f3 as integer) between {MIN_YEAR} and $max_year
        and regexp_full_match(f4, {_CODE})
        and regexp_full_match(f5, {_CODE})
        and regexp_full_match(f6, {_CODE})
        and regexp_full_match(f7, {_CODE})
        and regexp_full_match(f8, {_CODE})
        and regexp_full_match(f9, {_DIGITS})
        and regexp_full_match(f10, {_DIGITS})
    ) is true as is_valid,
    f1, f2, f3, f4, f5, f6, f7, f8, f9, f10,
    {_PERIOD_AND_VALUE}
from staged_fields
"""

INSERT_VALID_SQL = """
insert into raw.customs_flows
select $vintage_id, line_number, f1, cast(f2 as tinyint), cast(f3 as smallint), f4, f5, f6, f7, f8,
    cast(f9 as bigint), cast(f10 as bigint)
from checked_lines
where is_valid
"""

# Slow path, for rejected lines only: re-read their raw text and test every field's own rule,
# to say exactly what is wrong. Needs `staged_lines(line_number, line)`.
PARSE_REJECTED_SQL = f"""
create or replace temp table rejected_lines as
with lines as (
    select c.line_number, coalesce(rtrim(s.line, chr(13)), '') as raw_line
    from checked_lines as c
    join staged_lines as s on s.line_number = c.line_number
    where not c.is_valid
),
split as (
    select *, string_split(raw_line, ';') as fields from lines
)
select
    line_number, raw_line,
    len(fields) as n_fields,
    fields[1] as f1, fields[2] as f2, fields[3] as f3, fields[4] as f4, fields[5] as f5,
    fields[6] as f6, fields[7] as f7, fields[8] as f8, fields[9] as f9, fields[10] as f10,
    {_PERIOD_AND_VALUE}
from split
"""


def _code_reason(field: str, name: str) -> str:
    return (
        f"case when coalesce({field}, '') = '' then '{name} is empty' "
        f"when not regexp_full_match({field}, {_CODE}) then '{name} ''' || {field} || ''' is not a code' end"
    )


REJECT_REASON_SQL = f"""
case
    when raw_line is null or raw_line = '' then 'empty line'
    when starts_with(raw_line, '{OVERLONG_MARKER}')
        then 'line of ' || substr(raw_line, {len(OVERLONG_MARKER) + 1}) || ' is too long to be a DGDDI row'
    when n_fields <> {EXPECTED_FIELDS} then 'expected {EXPECTED_FIELDS} fields, found ' || n_fields
    else concat_ws('; ',
        case when f1 not in ('E', 'I') then 'flux ''' || f1 || ''' is not E or I' end,
        case when f2 not in ('1', '2', '3', '4') then 'quarter ''' || f2 || ''' is not 1-4' end,
        case when annee_read is null or annee_read not between {MIN_YEAR} and $max_year
            then 'year ''' || f3 || ''' is not plausible ({MIN_YEAR}-' || $max_year || ')' end,
        {", ".join(_code_reason(field, name) for field, (_, name) in _CODE_FIELDS.items())},
        case when valeur_read is null then 'value ''' || f9 || ''' is not a non-negative integer' end,
        case when not regexp_full_match(f10, {_DIGITS}) then 'mass ''' || f10 || ''' is not a non-negative integer' end
    )
end
"""

INSERT_REJECTED_SQL = f"""
insert into raw.rejected_rows
select $vintage_id, $file_name, line_number, {REJECT_REASON_SQL},
    case when length(raw_line) > {_RAW_LINE_CHARS} then left(raw_line, {_RAW_LINE_CHARS}) || '…' else raw_line end,
    flux_read, annee_read, trimestre_read, valeur_read
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

# Per flow and quarter: the file's lines and euros (read from every line, kept or not), the kept
# rows (raw.customs_flows) and the rejected ones (raw.rejected_rows). A null period gathers the
# lines whose flow, year or quarter cannot be read.
RECONCILIATION_SQL = """
insert into raw.vintage_reconciliation
with file_side as (
    select
        case when annee_read is not null and trimestre_read is not null then flux_read end as flux,
        case when flux_read is not null and trimestre_read is not null then annee_read end as annee,
        case when flux_read is not null and annee_read is not null then trimestre_read end as trimestre,
        count(*) as line_count,
        coalesce(sum(valeur_read), 0) as value_eur
    from checked_lines
    group by all
),
kept as (
    select flux, annee, trimestre, row_count as kept_rows, valeur as kept_eur
    from raw.vintage_periods where vintage_id = $vintage_id
),
rejected as (
    select
        case when annee is not null and trimestre is not null then flux end as flux,
        case when flux is not null and trimestre is not null then annee end as annee,
        case when flux is not null and annee is not null then trimestre end as trimestre,
        count(*) as rejected_rows,
        coalesce(sum(valeur), 0) as rejected_eur
    from raw.rejected_rows where vintage_id = $vintage_id
    group by all
)
select
    $vintage_id, f.flux, f.annee, f.trimestre, f.line_count, f.value_eur,
    coalesce(k.kept_rows, 0), coalesce(k.kept_eur, 0), coalesce(r.rejected_rows, 0), coalesce(r.rejected_eur, 0)
from file_side as f
left join kept as k on k.flux is not distinct from f.flux and k.annee is not distinct from f.annee
    and k.trimestre is not distinct from f.trimestre
left join rejected as r on r.flux is not distinct from f.flux and r.annee is not distinct from f.annee
    and r.trimestre is not distinct from f.trimestre
"""

# A file whose every line was kept: its lines and euros per flow and quarter are its kept rows'
# (each line kept whole, its period and value read once), and none is rejected. Reading every
# line's period and value again (RECONCILIATION_SQL's file side: two regular expressions a line)
# would find the same numbers, in ~0.18 s a full-scale file.
RECONCILIATION_ALL_KEPT_SQL = """
insert into raw.vintage_reconciliation
select vintage_id, flux, annee, trimestre, row_count, valeur, row_count, valeur, 0, 0
from raw.vintage_periods
where vintage_id = $vintage_id
"""


# Every code the kept rows carry, with rows and euros, in one pass (grouping sets).
CODES_SQL = """
insert into raw.vintage_codes
select
    $vintage_id,
    case
        when grouping(code_departement) = 0 then 'departement'
        when grouping(code_cpf4) = 0 then 'cpf4'
        when grouping(code_a129) = 0 then 'a129'
        else 'pays'
    end as kind,
    coalesce(code_departement, code_cpf4, code_a129, code_pays) as code,
    case
        when grouping(code_departement) = 0 then code_region
        when grouping(code_cpf4) = 0 then code_a129
    end as parent_code,
    count(*),
    sum(valeur)
from raw.customs_flows
where vintage_id = $vintage_id
group by grouping sets ((code_departement, code_region), (code_cpf4, code_a129), (code_a129), (code_pays))
"""


#: The columns of a kept row, and those of its grain in the marts (fct_trade_flows sums the rows
#: of a vintage that share them: the région a row carries is not part of it).
_LINE = ("flux", "trimestre", "annee", "code_departement", "code_region", "code_a129", "code_cpf4", "code_pays",
         "valeur", "masse")  # fmt: skip
GRAIN = ("flux", "trimestre", "annee", "code_departement", "code_a129", "code_cpf4", "code_pays")


@dataclass(frozen=True)
class LineCounts:
    """What validation made of a file's lines."""

    lines: int
    valid: int
    wrong_field_count: int
    first_wrong_line: int | None
    commonest_reason: str | None = None
    commonest_reason_lines: int = 0


@dataclass(frozen=True)
class FileFacts:
    """Whole-file facts that decide whether a file is refused."""

    other_flux_lines: int  # readable rows of the flow the name does not announce
    first_other_flux_line: int | None
    other_flux: str | None
    duplicate_lines: int  # kept rows that are copies of an earlier one
    repeated_grain_rows: int = 0  # kept rows whose GRAIN an earlier one has (copies included)


def check_and_store(con: duckdb.DuckDBPyConnection, *, vintage_id: int, max_year: int) -> tuple[int, int]:
    """Check every line of `staged_fields`, append the readable ones to raw.customs_flows; (lines, valid)."""
    con.execute(CHECK_SQL.replace("$max_year", str(int(max_year))))
    inserted = con.execute(INSERT_VALID_SQL, {"vintage_id": vintage_id}).fetchone()
    lines = con.execute("select count(*) from checked_lines").fetchone()
    assert inserted is not None and lines is not None
    return int(lines[0]), int(inserted[0])


def file_facts(con: duckdb.DuckDBPyConnection, vintage_id: int, expected_flux: str | None) -> FileFacts:
    """Rows of the other flow than the name announces, and rows that repeat an earlier one (among the kept ones)."""
    other = con.execute(
        "select count(*), min(line_number), min(flux) from raw.customs_flows where vintage_id = $vintage_id "
        "and flux <> $flux",
        {"vintage_id": vintage_id, "flux": expected_flux or ""},
    ).fetchone()
    assert other is not None
    count = int(other[0]) if expected_flux else 0
    grain = _repeats(con, vintage_id, GRAIN)  # on the stored rows: typed, half the cost of the text fields
    copies = _repeats(con, vintage_id, _LINE) if grain else 0  # a copy repeats its grain too
    return FileFacts(count, other[1] if count else None, other[2] if count else None, copies, grain)


def _repeats(con: duckdb.DuckDBPyConnection, vintage_id: int, columns: tuple[str, ...]) -> int:
    """Kept rows of a vintage whose `columns` an earlier row has."""
    row = con.execute(
        f"select count(*) - count(distinct hash({', '.join(columns)})) from raw.customs_flows "
        "where vintage_id = $vintage_id",
        {"vintage_id": vintage_id},
    ).fetchone()
    assert row is not None
    return int(row[0])


def explain_rejections(con: duckdb.DuckDBPyConnection, max_year: int) -> LineCounts:
    """Build `rejected_lines` (needs `staged_lines`); counts with the commonest reason."""
    con.execute(PARSE_REJECTED_SQL)
    wrong = con.execute(
        f"select count(*), min(line_number) from rejected_lines where n_fields <> {EXPECTED_FIELDS}"
    ).fetchone()
    reason = con.execute(
        f"select reason, count(*) from (select {REJECT_REASON_SQL.replace('$max_year', str(int(max_year)))} "
        "as reason from rejected_lines) group by reason order by count(*) desc, reason limit 1"
    ).fetchone()
    assert wrong is not None
    return LineCounts(0, 0, int(wrong[0]), wrong[1], reason[0] if reason else None, int(reason[1]) if reason else 0)


def store_vintage_facts(
    con: duckdb.DuckDBPyConnection, *, vintage_id: int, file_name: str, max_year: int, any_rejected: bool
) -> None:
    """Append the rejected rows, the periods covered, the reconciliation and the codes of one vintage."""
    if any_rejected:
        con.execute(
            INSERT_REJECTED_SQL.replace("$max_year", str(int(max_year))),
            {"vintage_id": vintage_id, "file_name": file_name},
        )
    con.execute(PERIODS_SQL, {"vintage_id": vintage_id})
    con.execute(RECONCILIATION_SQL if any_rejected else RECONCILIATION_ALL_KEPT_SQL, {"vintage_id": vintage_id})
    con.execute(CODES_SQL, {"vintage_id": vintage_id})
