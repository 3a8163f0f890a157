"""The 通报's files: an XLSX workbook and a typeset issue (DOCX/PDF), built from the frozen
ranking snapshot (`ClassRanking.to_json()` rows) so a published 通报 always re-renders the same.

No database access here: callers pass the snapshot and the masthead details.
"""
