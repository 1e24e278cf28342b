"""The editors' commands behind python -m portal: diff and new (validate and export are in portal.__main__)."""
