# The same handler imports different things on different Pythons (profile --python A --python B).
import sys

import common  # ~20 ms of sleep at import, on every version

try:
    import imghdr  # standard library up to 3.12, removed in 3.13 (PEP 594)
except ImportError:
    imghdr = None

if sys.version_info >= (3, 13):
    import newer  # a task-root module that only 3.13 and later import


def lambda_handler(event, context):
    return {"ok": imghdr is not None}
