"""Reading the data files: finding every file of data/ and refusing what is not an ordinary file
(discovery), YAML with line numbers and plain-word errors (yamlload, yamlhelp), the parse cache of
`mkdocs serve` and the worker process that parses half of many files (discovery, forking);
mkdocs.yml and a page's front matter as MkDocs 1.6 reads them, without MkDocs (siteconfig,
frontmatter).

The per-kind builders are in portal.model.builders; portal.model.site runs both."""
