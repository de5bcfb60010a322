import csv
import decimal
import time

from app import schema

time.sleep(0.030)  # 30 ms: a client set up at import
TABLE = schema.TABLE
