"""Sleeps longer than the function's timeout when asked to."""
import os
import time


def handler(event, context):
    print("PID: %d" % os.getpid())
    time.sleep(float(event.get("sleepSeconds", 0)))
    return {"slept": event.get("sleepSeconds", 0)}
