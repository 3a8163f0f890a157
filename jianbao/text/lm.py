"""Word n-gram language model: the only module that imports kenlm.

The model is Debian's libime-data-language-model (a kenlm-format word trigram, 165 k words). It is
optional: when the file is missing, `default_model()` returns None and callers skip LM checks.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path

try:
    import kenlm
except ImportError:  # the binding compiles from source; without it LM checks are skipped
    kenlm = None

__all__ = ["DEFAULT_PATHS", "LanguageModel", "default_model", "load"]

logger = logging.getLogger(__name__)

_PATH_ENV = "JIANBAO_LM_PATH"
DEFAULT_PATHS = (
    Path("/usr/lib/x86_64-linux-gnu/libime/zh_CN.lm"),
    Path("/usr/lib/aarch64-linux-gnu/libime/zh_CN.lm"),
    Path("/usr/lib/libime/zh_CN.lm"),
)


class LanguageModel:
    """A loaded kenlm model scoring space-free token sequences (log10 probabilities)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._model = kenlm.Model(str(path))
        self.order = int(self._model.order)

    def __contains__(self, word: str) -> bool:
        return word in self._model

    def score(self, tokens: Sequence[str], *, bos: bool = False, eos: bool = False) -> float:
        """log10 P(tokens); tokens must not contain spaces."""
        return float(self._model.score(" ".join(tokens), bos=bos, eos=eos))


_lock = threading.Lock()
_loaded: dict[str, LanguageModel | None] = {}


def _find_path() -> Path | None:
    configured = os.environ.get(_PATH_ENV)
    candidates = [Path(configured)] if configured else list(DEFAULT_PATHS)
    return next((p for p in candidates if p.is_file()), None)


def load(path: Path) -> LanguageModel | None:
    """Load a model file, or log a warning and return None if it is missing or unreadable."""
    try:
        return LanguageModel(path)
    except (OSError, RuntimeError) as error:  # kenlm raises OSError for a bad/missing file
        logger.warning("language model %s could not be loaded: %s", path, error)
        return None


def default_model() -> LanguageModel | None:
    """The process-wide model ($JIANBAO_LM_PATH or Debian's file), loaded once; None if absent."""
    key = os.environ.get(_PATH_ENV, "")
    if key in _loaded:
        return _loaded[key]
    with _lock:
        if key not in _loaded:
            path = _find_path()
            if kenlm is None:
                logger.warning("the kenlm package is not installed; LM-based checks are skipped")
                _loaded[key] = None
            elif path is None:
                logger.warning(
                    "no language model found (install libime-data-language-model or set %s); "
                    "LM-based checks are skipped",
                    _PATH_ENV,
                )
                _loaded[key] = None
            else:
                _loaded[key] = load(path)
    return _loaded[key]
