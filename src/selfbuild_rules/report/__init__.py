"""Reports: the JSON document and its text, table, Markdown and HTML forms; the catalog."""
