import time

time.sleep(0.1)  # 100 ms of work at import


def render(event):
    return {"thumbnail": event.get("key", "")}
