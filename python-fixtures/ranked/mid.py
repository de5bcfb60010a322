import time

time.sleep(0.06)  # 60 ms
NAME = "mid"
