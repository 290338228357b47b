"""Query-parameter parsing shared by the issue list, the dashboard filters and Open311."""


def comma_list(text: str | None) -> tuple[str, ...]:
    """'a, b,,a' -> ('a', 'b'): the non-empty items, stripped, each once, in order."""
    return tuple(dict.fromkeys(c.strip() for c in (text or "").split(",") if c.strip()))
