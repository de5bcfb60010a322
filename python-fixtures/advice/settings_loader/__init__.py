import time

# Import-time side effect: reads and validates configuration (simulated) on every cold start.
time.sleep(0.05)
_SETTINGS = {"bucket": "orders"}


def load():
    return dict(_SETTINGS)
