"""Spreadsheets in and out: CSV/XLSX reading, column mapping, dates, statuses, export.

Pure parsing and formatting: nothing here touches the store. ``services/importing.py`` and
``services/exporting.py`` are the use cases built on it. openpyxl and charset-normalizer are
imported only inside the functions that need them.
"""
