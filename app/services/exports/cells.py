"""Cells of user text that Excel or WPS cannot take for a formula (CSV and XLSX)."""

from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# what makes a spreadsheet read a cell as a formula (OWASP's list: = + - @, and tab and CR before them)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell: text that would start a formula gets a leading apostrophe, which Excel shows as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_row(sheet: WriteOnlyWorksheet, values: Iterable[object]) -> list[object]:
    """An XLSX row whose text cells are strings, never formulas (openpyxl makes '=...' a formula)."""
    row: list[object] = []
    for value in values:
        if isinstance(value, str):
            # input refuses control characters; one stored before that rule must not make the export fail
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    return row
