"""The monthly dispatch report as an XLSX workbook: 排名, 乡镇汇总, 挂牌督办, 升级督办 and 趋势, from `monthly_report`.

Each sheet has a title row naming the unit and month, then the header (frozen), then
real values: counts as numbers, rates as fractions shown as percentages, times as local
date-times, so a county can sort, filter and chart them.
"""

import io
from datetime import tzinfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.printing import (
    ESCALATIONS,
    RANKING,
    SUPERVISED,
    TOWNSHIPS,
    TREND,
    Column,
    month_words,
)
from app.spreadsheets import append_row
from app.timezones import school_zone

RATE_FORMAT = "0.0%"
TIME_FORMAT = "yyyy-mm-dd hh:mm"
_EDGE = Side(style="thin", color="808080")
_CELL_BORDER = Border(left=_EDGE, right=_EDGE, top=_EDGE, bottom=_EDGE)
_HEAD_FILL = PatternFill("solid", fgColor="E7E6E6")


def _value(column: Column, row: dict, zone: tzinfo):
    value = column.value(row)
    if column.kind == "time" and value is not None:
        return value.astimezone(zone).replace(tzinfo=None)  # Excel has no time zones: the school's local time
    return value


def _sheet(sheet: Worksheet, title: str, columns: tuple[Column, ...], rows: list[dict], zone: tzinfo,
           frozen: str = "A3") -> None:
    """Title in row 1, header in row 2, then a row per dict; widths, formats and borders set."""
    append_row(sheet, [title])
    append_row(sheet, [c.header for c in columns])
    for row in rows:
        append_row(sheet, [_value(c, row, zone) for c in columns])
    last = get_column_letter(len(columns))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 26
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width + 2
        head = sheet.cell(row=2, column=index)
        head.font, head.fill, head.border = Font(bold=True), _HEAD_FILL, _CELL_BORDER
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        fmt = {"rate": RATE_FORMAT, "time": TIME_FORMAT}.get(column.kind)
        wrap = Alignment(vertical="top", wrap_text=column.kind == "wide")
        for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
            cell.border, cell.alignment = _CELL_BORDER, wrap
            if fmt:
                cell.number_format = fmt
    sheet.freeze_panes = frozen
    if rows:
        sheet.auto_filter.ref = f"A2:{last}{len(rows) + 2}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "2:2"


def monthly_workbook(report: dict) -> bytes:
    """The workbook's bytes."""
    zone = school_zone()
    heading = f"{report['unit']['name']} {month_words(report['period'])}月调度通报"
    book = Workbook()
    sheets = (("排名", RANKING, report["schools"], "D3"), ("乡镇汇总", TOWNSHIPS, report["townships"], "B3"),
              ("挂牌督办", SUPERVISED, report["supervised"], "B3"), ("升级督办", ESCALATIONS, report["escalations"], "B3"),
              ("趋势", TREND, report["trend"], "B3"))
    for i, (name, columns, rows, frozen) in enumerate(sheets):
        sheet = book.active if i == 0 else book.create_sheet()
        sheet.title = name
        _sheet(sheet, f"{heading}——{name}", columns, rows, zone, frozen)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
