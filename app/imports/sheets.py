"""Read an uploaded sheet, XLSX or CSV (UTF-8, UTF-8 with BOM, or GB18030), into rows by column key."""

import csv
import io
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook

from app.spreadsheets import append_row, csv_bytes


class SheetError(ValueError):
    """A file that cannot be read as the expected sheet; the message is for people, in Chinese."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Chinese, as on the template
    required: bool
    example: str


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel saves "CSV UTF-8" with a BOM; older offices GB18030
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError("无法识别文件编码:请另存为 UTF-8 或 GB18030 编码的 CSV,或 Excel 文件")


def _raw_rows(data: bytes) -> list[list[str]]:
    if data[:4] == b"PK\x03\x04":
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise SheetError(f"无法读取这个 Excel 文件({exc})") from None
        sheet = workbook.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(_decode(data)))]


def read_rows(data: bytes, columns: tuple[Column, ...]) -> list[tuple[int, dict[str, str]]]:
    """Return (sheet row number, {column key: text}) for every non-empty data row."""
    if not data:
        raise SheetError("文件是空的")
    rows = _raw_rows(data)
    if not rows:
        raise SheetError("文件里没有表头")
    names = {c.header: c.key for c in columns} | {c.key: c.key for c in columns}
    header = [names.get(h.strip()) for h in rows[0]]
    missing = [c.header for c in columns if c.required and c.key not in header]
    if missing:
        raise SheetError(f"缺少列:{'、'.join(missing)}(请使用模板的表头)")
    result = []
    for number, row in enumerate(rows[1:], start=2):
        values = {key: (row[i] if i < len(row) else "") for i, key in enumerate(header) if key}
        if any(values.values()):
            result.append((number, values))
    return result


def template(columns: tuple[Column, ...], fmt: str) -> tuple[bytes, str]:
    """A blank sheet with the Chinese headers and one example row: (bytes, content type)."""
    headers = [c.header for c in columns]
    example = [c.example for c in columns]
    if fmt == "csv":
        return csv_bytes([headers, example]), "text/csv"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "导入"
    append_row(sheet, headers)
    append_row(sheet, example)
    for i, column in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + i)].width = max(12, len(column.example) * 2 + 2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
