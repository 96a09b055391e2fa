"""Spreadsheets in and out: rows of an .xlsx or .csv become item files, and items become rows."""
