# Its shipped __pycache__/legacy.cpython-312.pyc was built by Python 3.11 (magic 3495): Python 3.12 ignores it.
LEGACY = True
