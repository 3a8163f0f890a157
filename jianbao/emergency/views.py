"""Pages of emergency reports."""
