# lambda-cold harness: runs inside the user's Python, started by src/python/runner.ts as
#     <real python> -X importtime harness.py <config.json>
# (or from its bytecode, <cache>/harness/<key>.pyc, which a first run writes) once per measured run, in a
# fresh interpreter. It must run on Python 3.7+ and import nothing before the start-up marker, so that
# what -X importtime printed before the marker is exactly the interpreter's own start-up (encodings, site,
# .pth files) and is never charged to the handler.
#
# Protocol, on stderr (fd 2, written with os.write so it is ordered with -X importtime's lines):
#   @@lambda-cold:startup-end            the interpreter's start-up is over
#   @@lambda-cold:init-begin             the handler's import starts (harness imports are before it)
#   @@lambda-cold:init-end <status>      the handler's import is over: ok | error
#   @@lambda-cold:invoke-begin           (with an invoke config) the first call of the handler starts
#   @@lambda-cold:invoke-end <status>    the first call is over: ok | error (warm calls follow, untimed
#                                        by -X importtime: what they import is reported apart)
#   @@lambda-cold:warm-end               the warm calls are over
# and a JSON result written to the path given in the config (never to stdout, which is the handler's).
import sys
import os

if sys.flags.no_site:
    # --no-pth (python -S): the site module without its main(), so no .pth file runs; site-packages go on
    # sys.path below, as site would put them there
    import site

os.write(2, b"@@lambda-cold:startup-end\n")

# What the Lambda runtime's bootstrap.py has imported before it loads the handler: the handler is
# not charged for these on Lambda either (awslambdaric itself is not available locally).
import json  # noqa: E402
import logging  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import warnings  # noqa: E402
import faulthandler  # noqa: E402

# Missing modules that something tried to import (optional-dependency probes, failed imports):
# a finder placed last on sys.meta_path is only asked when every real finder said no.
_missing = []


class _MissingRecorder(object):
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        _missing.append(name)
        return None

    @classmethod
    def find_module(cls, name, path=None):  # Python < 3.4 protocol, harmless elsewhere
        return None


def _layer_paths(layers, version):
    # Lambda extracts layers into /opt in order (a later layer's files win) and puts
    # /opt/python/lib/pythonX.Y/site-packages then /opt/python on sys.path — never /opt itself, so
    # code at a layer's root does not import there and does not here. Given as folders, the later
    # layer is searched first; each is searched as /opt is.
    paths = []
    for layer in reversed(layers):
        for candidate in (
            os.path.join(layer, "python", "lib", "python%d.%d" % version, "site-packages"),
            os.path.join(layer, "python"),
        ):
            if os.path.isdir(candidate) and candidate not in paths:
                paths.append(candidate)
    return paths


def _origin(path, root, layer_paths, stdlib_dirs, site_dirs):
    if not path:
        return "builtin"
    real = os.path.realpath(path)
    if real == root or real.startswith(root + os.sep):
        return "task-root"
    for lp in layer_paths:
        if real.startswith(lp + os.sep):
            return "layer"
    for sd in site_dirs:
        if real.startswith(sd + os.sep):
            return "site-packages"
    for sd in stdlib_dirs:
        if real.startswith(sd + os.sep):
            return "stdlib"
    return "other"


def _module_files(root, layer_paths):
    import sysconfig

    paths = sysconfig.get_paths()
    stdlib_dirs = [os.path.realpath(p) for p in (paths.get("stdlib"), paths.get("platstdlib")) if p]
    site_dirs = [os.path.realpath(p) for p in (paths.get("purelib"), paths.get("platlib")) if p]
    real_layers = [os.path.realpath(p) for p in layer_paths]
    out = {}
    for name, mod in list(sys.modules.items()):
        if mod is None:
            continue
        path = getattr(mod, "__file__", None)
        if not isinstance(path, str):
            path = None
        out[name] = {"file": path, "origin": _origin(path, root, real_layers, stdlib_dirs, site_dirs)}
    return out


def _own_files(root):
    """The modules loaded from the task root (those facts.py looks at), each file with its mtime and size."""
    real_root = os.path.realpath(root)
    files = []
    for name, mod in sorted(list(sys.modules.items())):
        path = getattr(mod, "__file__", None)
        if isinstance(path, str) and path.endswith(".py") and os.path.realpath(path).startswith(real_root + os.sep):
            files.append((name, path))
    return _sibling("imports").stamps(files)


_helpers = {}


def _sibling(name):
    """facts.py or imports.py, beside harness.py (the harness itself may run from its bytecode elsewhere)."""
    if name not in _helpers:
        import importlib.util

        spec = importlib.util.spec_from_file_location("_lambda_cold_" + name, os.path.join(_HELPERS_DIR[0], name + ".py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _helpers[name] = module
    return _helpers[name]


_HELPERS_DIR = [""]


def _facts(root, cache):
    """The ast facts of the user's own files (facts.py, beside harness.py). `cache`: a file keeping the last
    facts with the files they came from; when the same modules load from unchanged files, they are reused
    (parsing them again would give the same facts, and costs the run ast's import and the parse)."""
    helpers = _sibling("imports")
    files = _own_files(root) if cache else None
    found = helpers.cached(cache, files) if cache else None
    if found is not None:
        return found
    try:
        found = _sibling("facts").collect(root, helpers.installed_top_levels(root))
    except Exception as exc:  # facts feed advice; never fail a profile over them
        return {"error": "%s: %s" % (type(exc).__name__, exc)}
    if cache:
        helpers.keep(cache, files, found)
    return found


def _compile_self(source, target):
    """Write this harness's bytecode to `target` (the runner starts later runs from it, sparing the
    compilation of this file in every run). After the result and every marker: nothing here is measured."""
    try:
        import importlib.util
        import marshal

        with open(source) as f:
            code = compile(f.read(), source, "exec")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        tmp = "%s.%d.tmp" % (target, os.getpid())
        with open(tmp, "wb") as f:
            # the .pyc header (https://peps.python.org/pep-0552/): magic, flags 0, then mtime and size,
            # which a .pyc run as a script ignores
            f.write(importlib.util.MAGIC_NUMBER + b"\0" * 12 + marshal.dumps(code))
        os.replace(tmp, target)
    except Exception:  # the next profile compiles the source again
        pass


def _error_info(exc, module, root):
    # Drop the harness's own frames (the runtime-like call chain): the traceback starts at the handler's import.
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == _HARNESS_CODE:
        tb = tb.tb_next
    message = exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)
    info = {
        "type": type(exc).__name__,
        "message": message,
        "traceback": "".join(traceback.format_exception(type(exc), exc, tb)),
        "missingModule": None,
        "location": None,
    }
    if isinstance(exc, ImportError) and getattr(exc, "name", None) and type(exc).__name__ == "ModuleNotFoundError":
        info["missingModule"] = exc.name
    if isinstance(exc, SyntaxError):
        info["location"] = {"file": exc.filename, "line": exc.lineno}
    else:
        # the innermost frame in the user's own code (task root or layers): where to look
        frames = traceback.extract_tb(tb)
        for frame in reversed(frames):
            fn = os.path.realpath(frame.filename) if frame.filename else ""
            if fn.startswith(root + os.sep):
                info["location"] = {"file": frame.filename, "line": frame.lineno}
                break
    return info


# The handler is imported at the Python stack depth of the Lambda runtime's own call chain — awslambdaric's
# entry point (bootstrap.py's module code) → main → run → _get_handler → importlib.import_module →
# _gcd_import — because the depth changes what an import costs: CPython allocates its frame stack in
# chunks, and recursive import-time work (compiling regular expressions, say) that keeps crossing a chunk
# boundary maps and unmaps memory on every call (python/cpython#142183; docs/lambda-platform.md). The last
# two frames are stand-ins of the same shape as importlib's that end in an import statement's path, so
# that -X importtime still prints the handler's own line (importlib.import_module does not).
def _gcd_import(name, package=None, level=0):
    __import__(name)
    return sys.modules[name]


def _import_module(name, package=None):
    level = 0
    return _gcd_import(name[level:], package, level)


def _get_handler(module):
    return _import_module(module.replace("/", "."))


def _run(module, recorder):
    """Import the handler between the init markers: (status, error, seconds)."""
    status = "ok"
    error = None
    if recorder is not None:
        recorder.start()
    os.write(2, b"@@lambda-cold:init-begin\n")
    start = time.perf_counter()
    try:
        _get_handler(module)
    except BaseException as exc:  # noqa: B902 - SystemExit and KeyboardInterrupt at import are errors too
        status = "error"
        error = exc
    elapsed = time.perf_counter() - start
    os.write(2, ("@@lambda-cold:init-end %s\n" % status).encode())
    if recorder is not None:
        recorder.stop()
    return status, error, elapsed


def _attribution(config):
    """The statement attribution (statements.py) when asked for, or a dict saying why it cannot run."""
    if not config:
        return None
    try:
        return _sibling("statements").Attribution(config)
    except Exception as exc:
        return {"tracer": None, "error": "%s: %s" % (type(exc).__name__, exc), "modules": []}


def main():
    with open(sys.argv[1]) as f:
        config = json.load(f)
    _HELPERS_DIR[0] = os.path.dirname(config["facts"])
    module = config["module"]
    root = os.path.realpath(config["root"])
    version = sys.version_info[:2]
    layer_paths = _layer_paths(config.get("layers", []), version)

    # sys.path as Lambda builds it: the task root, then the layers, then the interpreter's own
    # entries (never the harness's folder, never the current directory as '').
    if sys.flags.no_site:
        sys.path.extend(d for d in site.getsitepackages() if os.path.isdir(d) and d not in sys.path)
    harness_dir = os.path.dirname(os.path.realpath(__file__))  # or of its bytecode in the cache
    own = [p for p in sys.path if p and os.path.realpath(p) != harness_dir and os.path.realpath(p) != root]
    sys.path[:] = [root] + layer_paths + own
    sys.meta_path.append(_MissingRecorder)

    # A crash in C code (SIGSEGV, SIGABRT…) prints the Python stacks instead of dying silently.
    faulthandler.enable()
    timeout = config.get("timeout")
    if timeout:
        # On a hang, print every thread's stack (where the import is stuck) and exit.
        faulthandler.dump_traceback_later(float(timeout), exit=True)

    # a warm-up run (unmeasured) records every import request; the collecting run reads them back
    imports = _sibling("imports") if config.get("graphCache") and config.get("recordImports") else None
    recorder = imports.ImportRecorder() if imports else None
    attribution = _attribution(config.get("statements"))
    if attribution is not None and not isinstance(attribution, dict):
        recorder = attribution  # the attribution run (statements.py): never a measured run
    before = set(sys.modules)
    status, error, elapsed = _run(module, recorder)
    loaded = [m for m in list(sys.modules) if m not in before]
    invoke = None
    if status == "ok" and config.get("invoke"):
        invoke = _sibling("invoke").invoke(module, config, _error_info)
    if timeout:
        faulthandler.cancel_dump_traceback_later()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass

    result = {
        "status": status,
        "initWallUs": int(round(elapsed * 1e6)),
        "python": {
            "version": "%d.%d.%d" % sys.version_info[:3],
            "implementation": sys.implementation.name,
            "executable": sys.executable,
            "platform": sys.platform,
            "cacheTag": sys.implementation.cache_tag,
            "pycachePrefix": getattr(sys, "pycache_prefix", None),
            "dontWriteBytecode": bool(sys.dont_write_bytecode),
        },
        "sysPath": list(sys.path),
        "layerPaths": layer_paths,
        "missing": _missing,
        "error": _error_info(error, module, root) if error is not None else None,
        # where every module came from: asked of one run only (it imports sysconfig)
        "modules": _module_files(root, layer_paths)
        if config.get("collect") or error is not None or (invoke is not None and invoke["status"] == "error")
        else {},
        "invoke": invoke,
        "statements": (attribution if isinstance(attribution, dict) else attribution.result()) if attribution is not None else None,
        "facts": _facts(root, config.get("factsCache")) if config.get("collect") and status == "ok" else None,
        # the import requests (importer, imported) of the handler's import, when known
        "imports": (imports or _sibling("imports")).graph(config["graphCache"], recorder, loaded)
        if config.get("graphCache") and status == "ok" and (recorder or config.get("collect"))
        else None,
    }
    with open(config["result"], "w") as f:
        json.dump(result, f)
    if config.get("compileTo"):
        _compile_self(config["source"], config["compileTo"])
    # Leave without running atexit handlers or waiting for non-daemon threads the handler started:
    # a Lambda environment is frozen after init, not shut down.
    os._exit(0)


_HARNESS_CODE = main.__code__.co_filename
main()
