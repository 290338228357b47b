"""Exports: the issue list as CSV/XLSX (issues) and the daily report workbook (daily)."""
