"""The .xlsx a planner files: 审查意见表, 压占分析, 地类明细, 依据, 数据来源.

Written with XlsxWriter in its constant-memory mode (each row goes to disk as it is written, so a
sheet of a million rows costs the memory of one, and the tables can come a chunk at a time):
values, never formulas; numbers stored as numbers with their formats (0.0000 公顷, 0.00 亩, 0.0 for
a share in %); the title merged over the table, the header frozen, widths that fit Chinese text,
set to print on A4 landscape, fit to the page width, the title and header repeated on every page.
A table longer than Excel's row limit goes on in sheets named ``压占分析 (2)`` and so on.
"""

from __future__ import annotations

from collections.abc import Iterable
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
LINE_HEIGHT = 13.5  # points per wrapped line of 10-point text
SHEETS = ("审查意见表", "压占分析", "地类明细", "依据", "数据来源")


def write_xlsx(contents: Contents | Iterable[Contents], path, *, title: str, rows_per_sheet: int | None = None) -> Path:
    """Write the workbook to ``path`` atomically; return the path.  ``contents``: the tables of a
    Result, or an iterable of them a chunk at a time (their rows follow one another)."""
    import xlsxwriter

    parts = [contents] if isinstance(contents, Contents) else contents
    limit = rows_per_sheet or EXCEL_ROWS - HEADER_ROWS
    with atomic_output(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_formulas": False})
        formats = _formats(book)
        writers = {name: _SheetWriter(book, formats, name, f"{title}　{name}", limit) for name in SHEETS}
        for part in parts:
            writers["审查意见表"].write(part.review.drop(columns=["proposal_id", "verdict"]))
            writers["压占分析"].write(part.overlaps.drop(columns=["proposal_id"]))
            land = part.landuse
            writers["地类明细"].write(
                land.drop(columns=["proposal_id", "subtotal"]), land["subtotal"].to_numpy(dtype=bool)
            )
            writers["依据"].write(part.citations)
            writers["数据来源"].write(part.sources)
        for writer in writers.values():
            writer.finish()
        book.close()
    return Path(path)


class _SheetWriter:
    """One table over as many sheets as Excel's row limit needs, rows appended chunk by chunk."""

    def __init__(self, book, formats: dict, name: str, title: str, limit: int):
        self.book, self.formats, self.name, self.title, self.limit = book, formats, name, title, limit
        self.sheet, self.part, self.rows, self.columns, self.widths = None, 0, 0, None, None

    def write(self, table: pd.DataFrame, subtotal=None) -> None:
        if self.columns is None:
            self.columns = list(table.columns)
            self.widths = [_width(column, table[column]) for column in self.columns]
        values = table.to_numpy(dtype=object)
        for offset, record in enumerate(values):
            if self.sheet is None or self.rows >= self.limit:
                self._new_sheet()
            marked = subtotal is not None and bool(subtotal[offset])
            self._row(HEADER_ROWS + self.rows, record, marked)
            self.rows += 1

    def finish(self) -> None:
        if self.sheet is None:  # a table without rows still gets its sheet and header
            self._new_sheet()

    def _new_sheet(self) -> None:
        self.part += 1
        sheet = self.book.add_worksheet(self.name if self.part == 1 else f"{self.name} ({self.part})")
        columns, formats = self.columns or [], self.formats
        last = max(len(columns) - 1, 0)
        for position, width in enumerate(self.widths or []):
            sheet.set_column(position, position, width)
        # constant-memory mode writes row by row: the title and note rows first, then the table
        sheet.merge_range(0, 0, 0, last, self.title, formats["title"])
        sheet.set_row(1, 30)
        sheet.merge_range(1, 0, 1, last, CAVEAT_ZH, formats["note"])
        for position, column in enumerate(columns):
            sheet.write_string(2, position, column, formats["header"])
        sheet.freeze_panes(HEADER_ROWS, 0)
        sheet.set_landscape()
        sheet.set_paper(A4)
        sheet.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
        sheet.repeat_rows(0, HEADER_ROWS - 1)
        sheet.set_footer("&C第 &P 页，共 &N 页")
        self.sheet, self.rows = sheet, 0

    def _row(self, row: int, record, marked: bool) -> None:
        sheet, formats = self.sheet, self.formats
        # a row as tall as its longest wrapped text (Excel and LibreOffice do not grow it on open)
        lines = max(
            [1]
            + [
                -(-_display_width(str(value)) // max(int(width) - 1, 1))
                for value, width in zip(record, self.widths)
                if isinstance(value, str) and value
            ]
        )
        if lines > 1:
            sheet.set_row(row, LINE_HEIGHT * min(lines, 30))
        for position, (column, value) in enumerate(zip(self.columns, record)):
            if column in NUMBER_FORMATS:
                key = f"subtotal_{column}" if marked else column
                if value is None or pd.isna(value):
                    sheet.write_blank(row, position, None, formats[key])
                else:
                    sheet.write_number(row, position, float(value), formats[key])
            elif column == "序号":
                sheet.write_number(row, position, int(value), formats["int"])
            else:
                text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
                sheet.write_string(row, position, text, formats["subtotal_text" if marked else "text"])


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


def _width(column: str, values: pd.Series) -> float:
    """A column width in Excel's character units: a CJK character counts two, capped (longer text
    wraps); measured on the header and the first thousand values."""
    if column in NUMBER_FORMATS:
        return 12.0
    sample = [column, *(str(v) for v in values.iloc[:1000] if v is not None)]
    return float(min(MAX_WIDTH, max(_display_width(text) for text in sample) + 2))


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


__all__ = ["EXCEL_ROWS", "write_xlsx"]
