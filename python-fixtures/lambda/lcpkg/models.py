import dataclasses


@dataclasses.dataclass
class Item:
    value: float


def total(values):
    return sum(float(Item(v).value) for v in values)
