"""Spreadsheets as people make them (openpyxl's XLSX, Excel's CSV), and uploading them to an import."""

import csv
import io

from openpyxl import Workbook


def xlsx(rows, headers) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, headers, encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)  # as Excel writes it: CRLF line ends
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def upload(client, kind: str, data: bytes, dry_run: bool, name="名单.xlsx"):
    return client.post(f"/api/imports/{kind}", data={"file": (io.BytesIO(data), name),
                                                      "dry_run": "true" if dry_run else "false"})
