"""Plug-ins: base regulations, the local modules that amend them, and finding the installed ones."""
