# lambda-cold: the handler's first call and warm calls (--invoke), with a context like the one the Lambda
# runtime passes. Loaded by harness.py (beside it) only with --invoke, after the init markers. Python 3.7+.
import os
import sys
import time


class LambdaContext(object):
    """What the Lambda runtime passes as `context` (awslambdaric's LambdaContext), with local values."""

    def __init__(self, function_name, memory_mb, timeout_s, request_id):
        import datetime  # imported before the first call's marker: not the handler's cost

        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = memory_mb
        self.invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:%s" % function_name
        self.aws_request_id = request_id
        self.log_group_name = "/aws/lambda/%s" % function_name
        self.log_stream_name = "%s/[$LATEST]%s" % (
            datetime.datetime.utcnow().strftime("%Y/%m/%d"),
            request_id.replace("-", ""),
        )
        self.identity = None
        self.client_context = None
        self.tenant_id = None
        self._deadline = time.time() + timeout_s

    def get_remaining_time_in_millis(self):
        return int(max(self._deadline - time.time(), 0) * 1000)


def invoke(module_name, config, error_info):
    """Call the handler once (the first request: imports it triggers are its cost), then warm calls."""
    import uuid

    spec = config["invoke"]
    mod = sys.modules[module_name]
    names = spec["function"] if isinstance(spec["function"], list) else [spec["function"]]
    fn = None
    for name in names:
        fn = getattr(mod, name, None)
        if callable(fn):
            break
    out = {"status": "ok", "function": name if callable(fn) else None, "firstUs": None, "warmUs": [], "error": None}
    if not callable(fn):
        out["status"] = "error"
        out["error"] = {
            "type": "HandlerNotFound",
            "message": "%s has no function %s" % (module_name, " or ".join(names)),
            "traceback": "",
            "missingModule": None,
            "location": None,
        }
        return out
    timeout_s = float(config.get("timeout") or 900)
    event = spec.get("event")
    # the context is built before the marker: what it imports (datetime, uuid) is the runtime's, not the handler's
    context = LambdaContext(spec.get("functionName", "lambda-cold-profile"), spec.get("memoryMb", 128), timeout_s, str(uuid.uuid4()))
    root = os.path.realpath(config["root"])

    def call(ctx):
        """One request: (µs, error info or None)."""
        t0 = time.perf_counter()
        try:
            fn(event, ctx)
            err = None
        except BaseException as exc:  # noqa: B902
            err = error_info(exc, module_name, root)
        return int(round((time.perf_counter() - t0) * 1e6)), err

    os.write(2, b"@@lambda-cold:invoke-begin\n")
    out["firstUs"], out["error"] = call(context)
    if out["error"] is not None:
        out["status"] = "error"
    os.write(2, ("@@lambda-cold:invoke-end %s\n" % out["status"]).encode())
    if out["status"] == "ok":
        for _ in range(int(spec.get("warm", 0))):
            us, err = call(LambdaContext(spec.get("functionName", "lambda-cold-profile"), spec.get("memoryMb", 128), timeout_s, str(uuid.uuid4())))
            if err is not None:
                out["status"], out["error"] = "error", err
                break
            out["warmUs"].append(us)
    os.write(2, b"@@lambda-cold:warm-end\n")
    return out
