import time

time.sleep(0.03)  # 30 ms at import


def total(items):
    return sum(items)
