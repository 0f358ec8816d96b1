"""The selfbuild-rules command line: ``python -m selfbuild_rules.cli`` runs it."""
