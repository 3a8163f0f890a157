"""Pure typesetting: one bulletin document model rendered to DOCX, PDF and HTML.

Nothing in this package may import Django.
"""
