import time

time.sleep(0.09)


def build(event):
    return {"rows": len(event or {})}
