"""Pure typesetting: one bulletin document model rendered to DOCX, PDF, OFD and HTML.

Nothing in this package may import Django.
"""

from jianbao.typeset.errors import TypesetError
from jianbao.typeset.model import Bulletin, BulletinError, Entry, Footer
from jianbao.typeset.render import render_docx, render_html, render_ofd, render_pdf

__all__ = [
    "Bulletin",
    "BulletinError",
    "Entry",
    "Footer",
    "TypesetError",
    "render_docx",
    "render_html",
    "render_ofd",
    "render_pdf",
]
