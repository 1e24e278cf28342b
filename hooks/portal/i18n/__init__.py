"""Languages, catalogues and translation coverage."""
