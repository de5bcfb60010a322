"""Fails at import: Runtime.ImportModuleError, init re-run inside the invoke (a suppressed init)."""
import os

import lambda_cold_fixture_missing_dependency  # noqa: F401  (not installed anywhere)


def handler(event, context):
    return {"pid": os.getpid()}
