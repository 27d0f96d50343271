"""Stand-ins for dbt's cross-database macros, so sqlfluff's jinja templater can render models."""


def listagg(measure: str, delimiter_text: str = "','", order_by_clause: str | None = None, limit_num=None) -> str:
    return f"string_agg({measure}, {delimiter_text})"


def concat(fields: list[str]) -> str:
    return " || ".join(fields)


def type_string() -> str:
    return "varchar"


def last_day(date: str, datepart: str) -> str:
    return f"last_day({date})"


def type_timestamp() -> str:
    return "timestamp"
