"""A small handler: a little init work, prints a PID marker on every invoke (as the article suggests)."""
import json
import os
import time
import uuid

INIT_MARKER = uuid.uuid4().hex  # made at import time: one per execution environment
time.sleep(float(os.environ.get("INIT_SLEEP_MS", "30")) / 1000)  # stands in for real init work (imports, clients)
print("init done %s" % INIT_MARKER)


def handler(event, context):
    # FIXTURE_PID imitates microVMs, where every environment's runtime gets the same small PID.
    print("PID: %s" % os.environ.get("FIXTURE_PID", os.getpid()))
    if event.get("sleepMs"):
        time.sleep(event["sleepMs"] / 1000)
    return {"ok": True, "marker": INIT_MARKER, "requestId": context.aws_request_id, "echo": json.dumps(event)}
