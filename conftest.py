"""Doctests of the HTTP service need its extra: without Litestar they are not collected
(tests/test_service.py skips and says why)."""

from __future__ import annotations

import importlib.util

collect_ignore_glob = (
    [] if importlib.util.find_spec("litestar") and importlib.util.find_spec("uvicorn")
    else ["src/selfbuild_rules/service/app.py", "src/selfbuild_rules/service/middleware.py"]
)  # fmt: skip
