"""A handler that defers work to its first call, as "import it inside the handler" advice does: the first call
of each execution environment pays FIRST_CALL_MS (a stand-in for the deferred import), later calls do not.
INIT_SLEEP_MS stands in for the init's own work. Used by the invoke --memory tests and benchmark."""
import os
import time

time.sleep(float(os.environ.get("INIT_SLEEP_MS", "30")) / 1000)
_loaded = False


def handler(event, context):
    global _loaded
    if not _loaded:
        time.sleep(float(os.environ.get("FIRST_CALL_MS", "40")) / 1000)  # the deferred import
        _loaded = True
    if event.get("sleepMs"):
        time.sleep(event["sleepMs"] / 1000)
    return {"ok": True, "memory": context.memory_limit_in_mb}
