"""Imports from spreadsheets (XLSX or CSV): a dry run row by row, then all or nothing."""
