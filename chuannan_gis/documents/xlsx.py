"""The .xlsx a planner files: 审查意见表, 压占分析, 地类明细, 依据, 数据来源.

Written with XlsxWriter in its constant-memory mode (each row goes to disk as it is written, so a
sheet of a million rows costs the memory of one): values, never formulas; numbers stored as
numbers with their formats (0.0000 公顷, 0.00 亩, 0.0 for a share in %); the title merged over the
table, the header frozen, widths that fit Chinese text, set to print on A4 landscape, fit to the
page width, the title and header repeated on every page.  A table longer than Excel's row limit
goes on into sheets named ``压占分析 (2)`` and so on.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._atomic import atomic_output
from .content import CAVEAT_ZH, Contents

# Excel's last row is 1,048,576; a sheet holds this many table rows below its title and header.
EXCEL_ROWS = 1_048_576
HEADER_ROWS = 3  # title, caveat, column header
NUMBER_FORMATS = {"公顷": "0.0000", "亩": "0.00", "占比(%)": "0.0"}
MAX_WIDTH = 60  # characters; longer text wraps
A4 = 9  # Excel's paper code


def write_xlsx(contents: Contents, path, *, title: str, rows_per_sheet: int | None = None) -> Path:
    """Write the workbook of ``contents`` to ``path`` atomically; return the path."""
    import xlsxwriter

    limit = rows_per_sheet or EXCEL_ROWS - HEADER_ROWS
    sheets = [
        ("审查意见表", contents.review.drop(columns=["proposal_id", "verdict"])),
        ("压占分析", contents.overlaps.drop(columns=["proposal_id"])),
        ("地类明细", contents.landuse.drop(columns=["proposal_id"])),
        ("依据", contents.citations),
        ("数据来源", contents.sources),
    ]
    subtotals = contents.landuse["subtotal"].to_numpy(dtype=bool)
    with atomic_output(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False})
        formats = _formats(book)
        for name, sheet_table in sheets:
            marked = subtotals if name == "地类明细" else None
            table = sheet_table.drop(columns=["subtotal"]) if name == "地类明细" else sheet_table
            for part, start in enumerate(range(0, max(len(table), 1), limit), start=1):
                sheet_name = name if part == 1 else f"{name} ({part})"
                rows = table.iloc[start : start + limit]
                _sheet(book, formats, sheet_name, f"{title}　{name}", rows, None if marked is None else marked[start:])
        book.close()
    return Path(path)


def _formats(book) -> dict:
    base = {"font_name": "宋体", "font_size": 10, "valign": "top", "border": 1}
    return {
        "title": book.add_format({"font_name": "黑体", "font_size": 14, "bold": True, "align": "center"}),
        "note": book.add_format({"font_name": "宋体", "font_size": 9, "text_wrap": True, "valign": "top"}),
        "header": book.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "text_wrap": True, "align": "center"}),
        "text": book.add_format({**base, "text_wrap": True}),
        "subtotal_text": book.add_format({**base, "bold": True, "text_wrap": True, "bg_color": "#FBF3DB"}),
        **{
            column: book.add_format({**base, "num_format": code})
            for column, code in {**NUMBER_FORMATS, "int": "0"}.items()
        },
        **{
            f"subtotal_{column}": book.add_format({**base, "num_format": code, "bold": True, "bg_color": "#FBF3DB"})
            for column, code in NUMBER_FORMATS.items()
        },
    }


def _sheet(book, formats: dict, name: str, title: str, table: pd.DataFrame, subtotal) -> None:
    sheet = book.add_worksheet(name)
    columns = list(table.columns)
    last = max(len(columns) - 1, 0)
    widths = [_width(column, table[column]) for column in columns]
    for position, width in enumerate(widths):
        sheet.set_column(position, position, width)
    # constant-memory mode writes row by row: the title and note rows first, then the table
    sheet.merge_range(0, 0, 0, last, title, formats["title"])
    sheet.set_row(1, 30)
    sheet.merge_range(1, 0, 1, last, CAVEAT_ZH, formats["note"])
    for position, column in enumerate(columns):
        sheet.write_string(2, position, column, formats["header"])
    number_columns = {position: column for position, column in enumerate(columns) if column in NUMBER_FORMATS}
    integer_columns = {position for position, column in enumerate(columns) if column == "序号"}
    values = table.to_numpy(dtype=object)
    for offset, record in enumerate(values):
        row = HEADER_ROWS + offset
        marked = subtotal is not None and bool(subtotal[offset])
        for position, value in enumerate(record):
            if position in number_columns:
                key = f"subtotal_{number_columns[position]}" if marked else number_columns[position]
                if value is None or pd.isna(value):
                    sheet.write_blank(row, position, None, formats[key])
                else:
                    sheet.write_number(row, position, float(value), formats[key])
            elif position in integer_columns:
                sheet.write_number(row, position, int(value), formats["int"])
            else:
                text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
                sheet.write_string(row, position, text, formats["subtotal_text" if marked else "text"])
    sheet.freeze_panes(HEADER_ROWS, 0)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
    sheet.repeat_rows(0, HEADER_ROWS - 1)
    sheet.set_footer("&C第 &P 页，共 &N 页")


def _width(column: str, values: pd.Series) -> float:
    """A column width in Excel's character units: a CJK character counts two, capped (longer text
    wraps); measured on the header and the first thousand values."""
    sample = [column, *(str(v) for v in values.iloc[:1000] if v is not None)]
    if column in NUMBER_FORMATS:
        return 12.0
    return float(min(MAX_WIDTH, max(_display_width(text) for text in sample) + 2))


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


__all__ = ["EXCEL_ROWS", "write_xlsx"]
