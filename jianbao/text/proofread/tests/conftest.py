"""Shared fixtures: the jieba dictionary and the language model are loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.text import lm, segment

SAMPLE = Path(__file__).resolve().parents[5] / "shared" / "samples" / "shangjie-xinxi-2024-35.txt"


@pytest.fixture(scope="session", autouse=True)
def _warm() -> None:
    """Initialise jieba and the LM once, so every test measures only its own work."""
    segment.tokenizer()
    lm.default_model()


@pytest.fixture(scope="session")
def has_lm() -> bool:
    """Whether Debian's language model is installed (the confusion rule needs it)."""
    return lm.default_model() is not None


@pytest.fixture
def needs_lm(has_lm: bool) -> None:
    """Skip a test that needs the language model when it is absent."""
    if not has_lm:
        pytest.skip("libime-data-language-model is not installed")
