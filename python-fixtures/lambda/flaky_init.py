"""Fails its first init only (a marker file records the attempt), so Lambda's re-run inside the invoke succeeds."""
import os

MARKER = os.environ["FLAKY_MARKER"]
if not os.path.exists(MARKER):
    open(MARKER, "w").close()
    raise RuntimeError("first init fails (cold dependency not ready)")


def handler(event, context):
    print("PID: %d" % os.getpid())
    return {"ok": True}
