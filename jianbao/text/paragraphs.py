"""Paragraph handling shared by every path that stores body text."""

from __future__ import annotations


def normalise_body(text: str) -> str:
    """Paragraphs stripped of surrounding whitespace, empty ones dropped, joined by a newline."""
    lines = (line.strip().strip("\u3000") for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)
