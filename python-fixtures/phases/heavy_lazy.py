import time

time.sleep(0.08)  # 80 ms of work at import


def run(event):
    time.sleep(0.005)  # every request: 5 ms
    return {"echo": event}
