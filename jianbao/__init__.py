"""Jianbao: a government information bulletin (政务信息简报) from report to archive."""

__version__ = "0.1.0"
