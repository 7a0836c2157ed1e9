"""XLSX imports (issue 3, item 4; issue 16): the staff list and, through the same reader and pages, every kind
declared in `kinds` (diagnostic results, course completions, participants, memberships, mentorship pairs,
vacancies).

kinds      — one small declaration per kind (columns, context, matching, what a row creates) and `KINDS`;
people     — the shared person matcher: СНИЛС, else ФИО + birth date, with the access rules;
template   — the workbook people fill in (headers, «Справочники», validation lists, «Инструкция»);
reader     — reads an upload without trusting it (type, zip bomb, macros, limits) → header map + rows; finds the
             header below title rows, joins two-row (merged) headers, lists unknown columns as ignored;
rows       — one row → person + position fields, with problems in Russian (row, column, what is wrong);
lookups    — reference values as people type them («1 кат.», «СЗД», «совм.»);
matcher    — rows → plan: match by СНИЛС, else ФИО + birth date; what is created, updated, left alone;
applier    — writes a plan with bulk operations and history records;
service    — the named actions `analyse` / `apply_import` (staff) and `analyse_kind` / `apply_kind` (any kind,
             atomic), and staged uploads between them.
"""
from .reader import ImportFileError
from .service import ImportRejected, analyse, apply_import

__all__ = ["ImportFileError", "ImportRejected", "analyse", "apply_import"]
