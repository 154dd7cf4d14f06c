"""Bytes from an upload -> a header and rows of text, or one clear refusal.

Everything here runs before a single cell is trusted: the size is checked before decoding, a
workbook renamed .csv is recognised by its magic bytes, and the encoding is decided without
ever producing mojibake (UTF-8, UTF-16 with a BOM, else Windows-1252 when the bytes look like
text, said in a note). Cells stay text: "NA" is Namibia, "None" and "null" are words.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from geo.data.schema import Problem

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
DELIMITERS = [",", ";", "\t"]  # on a tie, the first wins
SAVE_AS_CSV = "open it in Excel and choose File > Save As > CSV UTF-8 (Comma delimited), then upload the .csv file"


@dataclass
class Table:
    header: list[str]  # cleaned and unique: blank headers become "column N"
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells as read)
    delimiter: str
    notes: list[Problem] = field(default_factory=list)


class Refused(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _refuse(name: str, rule: str, fix: str) -> Refused:
    return Refused(Problem(name, None, "", "", rule, fix))


def _zip_kind(data: bytes) -> tuple[str, str]:
    """(what it is, how to fix) for a file that starts like a zip archive."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        names = set()
    if any(n.startswith("xl/") for n in names):
        return "this is an Excel workbook (.xlsx), not a CSV file", SAVE_AS_CSV
    if "content.xml" in names:
        return (
            "this is a LibreOffice/OpenOffice spreadsheet (.ods), not a CSV file",
            "choose File > Save As > Text CSV (.csv) with the character set UTF-8, then upload that file",
        )
    if any(n.endswith(".csv") for n in names):
        return "this is a zip archive, not a CSV file", "unzip it and upload the .csv file inside"
    return ("this is an Excel workbook or another zipped file, not a CSV file", SAVE_AS_CSV)


def decode(data: bytes, name: str) -> tuple[str, list[Problem]]:
    """The text of the file and any note on how it was read; raise Refused when it is not text."""
    if len(data) > MAX_BYTES:
        raise _refuse(
            name,
            f"the file is larger than the {MAX_BYTES // 2**20} MB limit ({len(data):,} bytes)",
            f"split it into smaller files (at most {MAX_ROWS:,} rows each) or delete columns the map does not use",
        )
    if data.startswith(b"PK\x03\x04"):
        raise _refuse(name, *_zip_kind(data))
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _refuse(name, "this is an Excel 97-2003 workbook (.xls), not a CSV file", SAVE_AS_CSV)
    if data.startswith(b"%PDF-"):
        raise _refuse(
            name,
            "this is a PDF document, not a CSV file",
            "export the table from the spreadsheet it came from as CSV UTF-8",
        )
    notes: list[Problem] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _refuse(
                name,
                "the file starts like UTF-16 text but is not valid UTF-16",
                "save it from your spreadsheet as CSV UTF-8",
            ) from None
    elif b"\x00" in data:
        raise _refuse(
            name,
            "the file contains NUL bytes: it is binary, not CSV text",
            "save it from your spreadsheet as CSV UTF-8 and upload that file",
        )
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel's plain "CSV" on Windows writes Windows-1252. Latin-1 would turn its curly
            # quotes and euro signs into control characters, and guessing further breeds mojibake.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = "\x00"
            if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text):
                raise _refuse(
                    name,
                    "the file is neither UTF-8 nor Windows-1252 text",
                    "save it from your spreadsheet as CSV UTF-8",
                ) from None
            notes.append(
                Problem(
                    name,
                    None,
                    "",
                    "",
                    "the file is not UTF-8, so it was read as "
                    'Windows-1252 (what Excel\'s plain "CSV" writes on Windows)',
                    "check that accented letters look right; next time choose CSV UTF-8",
                )
            )
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise _refuse(
            name,
            "the file contains NUL characters: it is binary, not CSV text",
            "save it from your spreadsheet as CSV UTF-8 and upload that file",
        )
    if not text.strip():
        raise _refuse(name, "the file is empty", "upload a CSV with a header row and one row per station")
    return text, notes


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most cells."""
    first = re.split(r"\r\n|\r|\n", text[:65536], maxsplit=1)[0]
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def unique_header(cells: list[str]) -> tuple[list[str], list[str]]:
    """Cleaned, unique header names, and the names that were repeated."""
    header, seen, repeated = [], set(), []
    for i, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff").strip() or f"column {i + 1}"
        if name in seen:
            repeated.append(name)
            k = 2
            while f"{name} ({k})" in seen:
                k += 1
            name = f"{name} ({k})"
        seen.add(name)
        header.append(name)
    return header, repeated


def read_table(data: bytes, name: str) -> Table:
    """The header and the non-blank rows; raise Refused when the file cannot be read as a CSV."""
    text, notes = decode(data, name)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    blank = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                blank += header is not None
                continue
            if header is None:
                header, repeated = unique_header(cells)
                notes += [
                    Problem(
                        name,
                        None,
                        r,
                        "",
                        f'two columns are called "{r}"; the first is used',
                        "rename or delete the other one",
                    )
                    for r in dict.fromkeys(repeated)
                ]
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise _refuse(
                    name,
                    f"the file has more than {MAX_ROWS:,} rows",
                    f"split it into files of at most {MAX_ROWS:,} rows",
                )
    except csv.Error as exc:
        raise _refuse(
            name,
            f"the file is not a readable CSV ({exc}, near line {reader.line_num})",
            'check the quotes on that line: a cell that starts with " must end with ", '
            'and a " inside a cell is written ""',
        ) from None
    if header is None:
        raise _refuse(name, "the file is empty", "upload a CSV with a header row and one row per station")
    if not rows:
        raise _refuse(name, "the file has a header but no rows", "add one row per station below the header")
    if blank:
        notes.append(Problem(name, None, "", "", f"skipped {blank} empty row{'s' if blank > 1 else ''}", "none needed"))
    return Table(header, rows, delimiter, notes)
