"""Imports: this project's own exports read back (``importer``), and files from other annotation tools\n(``foreign``)."""
