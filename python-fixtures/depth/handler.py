# A handler whose import costs 50 ms per Python frame below it: a stand-in for import-time work whose cost
# depends on the stack depth (see docs/lambda-platform.md). Imported the way the Lambda runtime does it, it
# sits five frames deeper than under `python -c "import handler"`.
import sys
import time

depth = 0
frame = sys._getframe(1)
while frame is not None:
    depth += 1
    frame = frame.f_back
time.sleep(0.05 * depth)


def lambda_handler(event, context):
    return {"depth": depth}
