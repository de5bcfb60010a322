import time

time.sleep(0.015)  # 15 ms
NAME = "light"
