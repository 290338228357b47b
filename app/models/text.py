"""User text: the one rule every text field of every input obeys (no control characters but tab and newline)."""

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

# C0 controls but tab (09) and newline (0A), DEL, and the C1 controls: they forge log lines, break XML
# (Open311), make XLSX unwritable, and PostgreSQL refuses NUL in text outright
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def control_character(text: str) -> str | None:
    """The first forbidden control character in `text` as U+XXXX, or None when there is none."""
    found = CONTROL_CHARACTERS.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def _unix_newlines(value: object) -> object:
    """A browser's form sends CRLF for a newline: kept as LF, so only a lone CR is refused."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _no_control_characters(value: str) -> str:
    found = control_character(value)
    if found:
        raise ValueError(f"control character {found} is not allowed (only tab and newline are)")
    return value


# str for every text an API user sends: pydantic names the field in the 422
SafeText = Annotated[str, BeforeValidator(_unix_newlines), AfterValidator(_no_control_characters)]
