"""XLSX import of a school's staff list (issue 3, item 4).

template   — the workbook people fill in (headers, «Справочники», validation lists, «Инструкция»);
reader     — reads an upload without trusting it (type, zip bomb, macros, limits) → header map + rows;
rows       — one row → person + position fields, with problems in Russian (row, column, what is wrong);
lookups    — reference values as people type them («1 кат.», «СЗД», «совм.»);
matcher    — rows → plan: match by СНИЛС, else ФИО + birth date; what is created, updated, left alone;
applier    — writes a plan with bulk operations and history records;
service    — the named actions `analyse` and `apply_import` (atomic), and staged uploads between them.
"""
from .reader import ImportFileError
from .service import ImportRejected, analyse, apply_import

__all__ = ["ImportFileError", "ImportRejected", "analyse", "apply_import"]
