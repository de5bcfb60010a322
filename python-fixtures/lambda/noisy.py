"""Prints far more than 4 KB per invoke: the PID marker and START fall out of the LogResult tail."""
import os

print("noisy init")


def handler(event, context):
    print("PID: %d" % os.getpid())
    for i in range(150):
        print("line %03d %s" % (i, "x" * 60))
    return {"lines": 150}
