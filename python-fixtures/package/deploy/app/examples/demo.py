from app.core import add

print(add(2, 3))
