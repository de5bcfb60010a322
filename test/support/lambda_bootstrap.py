"""One execution environment of the local Lambda emulator (test/support/lambda-emulator.ts).

Like Lambda's Python runtime: put the task root first on sys.path, load the handler module with
importlib.import_module (that is the init phase), then loop on events. Events arrive one JSON line at a
time on stdin; everything goes out on stdout (stderr is merged into it), in order: the handler's own
output as plain lines, and the emulator's control records as lines starting with \\x1eLC.
"""
import importlib
import json
import os
import resource
import sys
import time
import traceback

CONTROL = "\x1eLC "
_out = os.fdopen(os.dup(1), "w", buffering=1)  # control channel: same pipe as stdout, our own buffer
os.dup2(1, 2)  # stderr and stdout share the pipe, so lines keep their order


def control(record):
    sys.stdout.flush()
    sys.stderr.flush()
    _out.write(CONTROL + json.dumps(record) + "\n")
    _out.flush()


def max_rss_mb():
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


class Context:
    def __init__(self, request_id, deadline_ms):
        self.aws_request_id = request_id
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.invoked_function_arn = os.environ.get("LAMBDA_EMULATOR_FUNCTION_ARN", "")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


def error_record(exc):
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "stackTrace": traceback.format_tb(exc.__traceback__),
    }


def main():
    task_root, handler_spec = sys.argv[1], sys.argv[2]
    sys.path.insert(0, task_root)
    module_name, _, function_name = handler_spec.rpartition(".")
    try:
        module = importlib.import_module(module_name)
        handler = getattr(module, function_name)
    except Exception as exc:  # noqa: BLE001 - the runtime reports any init failure
        kind = "Runtime.ImportModuleError" if isinstance(exc, ImportError) else "Runtime.Unknown"
        if isinstance(exc, AttributeError):
            kind = "Runtime.HandlerNotFound"
        print("[ERROR] %s: Unable to import module '%s': %s" % (kind, module_name, exc), flush=True)
        control({"type": "init_error", "errorType": kind, "errorMessage": str(exc)})
        return 1
    control({"type": "ready", "pid": os.getpid()})
    for line in sys.stdin:
        event = json.loads(line)
        ctx = Context(event["requestId"], event["deadlineMs"])
        t0 = time.perf_counter()
        fault = event.get("fault")
        if fault == "crash":  # the emulator's injected fault: the runtime process dies mid-invoke
            print("fatal: the runtime exits", flush=True)
            os._exit(1)
        if fault == "hang":  # ... or hangs past the function's timeout
            time.sleep(3600)
        try:
            result = handler(json.loads(event["payload"]), ctx)
            duration = (time.perf_counter() - t0) * 1000
            control({"type": "result", "ok": True, "payload": json.dumps(result), "durationMs": duration, "maxMemoryMB": max_rss_mb()})
        except Exception as exc:  # noqa: BLE001 - a function error is reported, the environment lives on
            duration = (time.perf_counter() - t0) * 1000
            err = error_record(exc)
            print("[ERROR] %s: %s" % (err["errorType"], err["errorMessage"]), flush=True)
            print("Traceback (most recent call last):", flush=True)
            for frame in err["stackTrace"]:
                print(frame.rstrip("\n"), flush=True)
            control({"type": "result", "ok": False, "error": err, "durationMs": duration, "maxMemoryMB": max_rss_mb()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
