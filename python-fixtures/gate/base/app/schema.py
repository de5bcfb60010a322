import email.parser
import http.client
import time

time.sleep(0.015)  # 15 ms: building models
TABLE = "orders"
