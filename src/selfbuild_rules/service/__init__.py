"""The HTTP service: a front door for applications not written in Python.

``selfbuild-rules serve`` runs it (see :mod:`selfbuild_rules.service.command`); the
generic layers never import it.
"""
