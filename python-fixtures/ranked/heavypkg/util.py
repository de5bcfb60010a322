import time

time.sleep(0.03)  # 30 ms
