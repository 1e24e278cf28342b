"""The editors' commands behind python -m portal: diff (datadiff), new (scaffold) and export
(export); validate is portal.__main__'s own."""
