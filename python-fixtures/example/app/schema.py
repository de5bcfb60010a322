import dataclasses
import time


@dataclasses.dataclass
class Order:
    id: str
    total: str


ORDER = Order
# Building validators at import (simulated: 25 ms).
time.sleep(0.025)
