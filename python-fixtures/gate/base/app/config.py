import time

time.sleep(0.020)  # 20 ms: reading settings
SETTINGS = {"region": "eu-west-1"}
