import time

time.sleep(0.045)  # 45 ms: the same settings, 25 ms slower (the injected regression)
SETTINGS = {"region": "eu-west-1"}
