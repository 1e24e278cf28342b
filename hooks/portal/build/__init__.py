"""What the MkDocs hook and the standalone export share: rendering pages in a second core, search text, the CSP, the served page, the atomic swap of the site folder."""
