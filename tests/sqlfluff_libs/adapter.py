"""Stand-in for dbt's `adapter` object, for sqlfluff's jinja templater."""


def dispatch(macro_name: str, macro_namespace: str | None = None):
    return lambda *args, **kwargs: "null"
