"""Stand-in for dbt's `adapter` object, for sqlfluff's jinja templater."""


class _Rendered(str):
    """What a dispatched macro returns here: "null" in SQL, an empty mapping in `config(**...)`."""

    def keys(self) -> tuple[str, ...]:
        return ()


def dispatch(macro_name: str, macro_namespace: str | None = None):
    return lambda *args, **kwargs: _Rendered("null")
