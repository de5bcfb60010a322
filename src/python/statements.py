# lambda-cold statement attribution: which top-level statement of the user's own modules takes the time
# of their module-level code. Loaded by harness.py only in the attribution run (never a measured run),
# which the orchestration starts after the measured runs with the user's module files (owner "user":
# docs/how-it-measures.md). Python 3.7+ (no newer syntax here).
#
# On Python 3.12+ `sys.monitoring` (https://docs.python.org/3/library/sys.monitoring.html) with local
# events on the module code objects of those files only (set when the loader hands them over); before
# that `sys.settrace` whose global function returns a tracer for those `<module>` frames and None for
# every other frame. Each statement's own time excludes the imports it ran (they are in the import
# tree): builtins.__import__ and importlib.import_module are timed, and only the outermost import made
# while a statement runs is subtracted from it. The direct calls a module body makes are timed the same
# way, from the call to the module frame's next event, so the report can name the costliest callee.
import ast
import bisect
import builtins
import importlib
import importlib._bootstrap_external as _external
import os
import sys
import time

_now = time.perf_counter_ns
_OWN = globals()  # this file's own frames (the import wrappers) are not the module's calls


def _spans(path):
    """[(first line, top-level statement's first source line)] of a file, in order (decorators included)."""
    with open(path, "rb") as f:
        source = f.read()
    tree = ast.parse(source, path)
    lines = source.decode("utf-8", "replace").splitlines()
    out = []
    for node in tree.body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        text = lines[first - 1].strip() if 0 < first <= len(lines) else ""
        last = getattr(node, "end_lineno", None)
        if last is None:  # Python 3.7: the last line any node of the statement starts on
            last = max(getattr(n, "lineno", first) for n in ast.walk(node))
        out.append((first, text, bool(last and last > first)))
    return out


class _Module(object):
    """One user module whose body is running: its statements' own time and their direct calls."""

    def __init__(self, name, path, spans):
        self.name = name
        self.path = path
        self.starts = [s[0] for s in spans]
        self.spans = spans
        self.own = {}  # statement index -> ns
        self.calls = {}  # statement index -> {callee name: [module, ns]}
        self.current = None  # statement index running
        self.since = 0  # when it (or its last call) started
        self.call = None  # [name, module] of the direct call running
        self.nested = 0  # ns of imports made since `since`
        self.depth = 0  # imports in progress made by this module's code

    def index(self, line):
        # the last statement starting at or before the line (the first one for a line before it)
        return max(bisect.bisect_right(self.starts, line) - 1, 0)

    def _close(self, now):
        if self.current is None:
            return
        spent = now - self.since - self.nested
        self.own[self.current] = self.own.get(self.current, 0) + spent
        if self.call is not None:
            calls = self.calls.setdefault(self.current, {})
            entry = calls.setdefault(self.call[0], [self.call[1], 0])
            entry[1] += spent
        self.since = now
        self.nested = 0
        self.call = None

    def line(self, line, now):
        at = self.index(line)
        if at != self.current or self.call is not None:
            self._close(now)
            self.current = at

    def called(self, name, module, now):
        self._close(now)
        # a class statement's body runs through builtins.__build_class__: the statement's own code
        self.call = None if name == "builtins.__build_class__" else [name, module]

    def end(self, now):
        self._close(now)
        self.current = None

    def result(self):
        out = []
        for i, ns in sorted(self.own.items()):
            first, text, multi = self.spans[i]
            calls = self.calls.get(i, {})
            top = max(calls.items(), key=lambda kv: kv[1][1]) if calls else None
            out.append({
                "line": first,
                "text": text,
                "multiline": multi,
                "us": max(0, ns) / 1000.0,
                "call": {"name": top[0], "module": top[1][0], "us": max(0, top[1][1]) / 1000.0} if top else None,
            })
        return {"module": self.name, "file": self.path, "statements": out}


def _callee(obj):
    """'module.qualname' and the module of a callable the module body called."""
    target = getattr(obj, "__func__", obj)
    module = getattr(target, "__module__", None)
    if not isinstance(module, str):
        module = getattr(type(target), "__module__", None)
    name = getattr(target, "__qualname__", None) or getattr(target, "__name__", None) or type(target).__name__
    return ("%s.%s" % (module, name) if module else str(name)), module


class Attribution(object):
    """start() before the handler's import, stop() after it, result() for the harness's result file."""

    def __init__(self, config):
        self.files = {}
        for path in config.get("files", []):
            self.files[path] = path
            self.files[os.path.realpath(path)] = path
        self.spans = {}
        self.modules = []  # every _Module seen, in start order
        self.stack = []  # _Module bodies running, innermost last
        self.error = None
        self.tracer = "sys.monitoring" if sys.version_info >= (3, 12) and hasattr(sys, "monitoring") else "sys.settrace"
        self.tool = None

    def _target(self, filename):
        path = self.files.get(filename)
        if path is None:
            return None
        if path not in self.spans:
            try:
                self.spans[path] = _spans(path)
            except Exception:  # unreadable source: not attributed
                self.spans[path] = None
        return path if self.spans[path] else None

    def _begin(self, name, path):
        m = _Module(name, path, self.spans[path])
        m.since = _now()
        self.modules.append(m)
        self.stack.append(m)
        return m

    def _finish(self, m):
        m.end(_now())
        if m in self.stack:
            del self.stack[self.stack.index(m):]

    # imports: timed, the outermost one made by a module's code subtracted from its running statement
    def _wrap(self, original):
        stack = self.stack

        def timed(*args, **kwargs):
            owner = stack[-1] if stack else None
            counted = owner is not None and not owner.depth
            depth = len(stack)
            if counted:
                owner.depth += 1
                start = _now()
            try:
                return original(*args, **kwargs)
            finally:
                # a module body that raised never returned: what started inside this import is over
                for m in stack[depth:]:
                    m.end(_now())
                del stack[depth:]
                if counted:
                    owner.nested += _now() - start
                    owner.depth -= 1

        return timed

    def start(self):
        self.import_, self.import_module = builtins.__import__, importlib.import_module
        builtins.__import__ = self._wrap(self.import_)
        importlib.import_module = self._wrap(self.import_module)
        try:
            if self.tracer == "sys.monitoring":
                self._start_monitoring()
            else:
                sys.settrace(self._global_trace)
            self.running = True
        except Exception as exc:  # the import still runs; the result says why nothing was attributed
            self.error = "%s: %s" % (type(exc).__name__, exc)
            self.running = False

    def stop(self):
        if self.running and self.tracer == "sys.monitoring":
            self._stop_monitoring()
        elif self.running:
            sys.settrace(None)
        builtins.__import__, importlib.import_module = self.import_, self.import_module
        for m in list(self.stack):
            self._finish(m)

    # Python < 3.12: a global trace function that traces only the user's <module> frames
    def _global_trace(self, frame, event, arg):
        code = frame.f_code
        if code.co_name == "<module>":
            path = self._target(code.co_filename)
            if path is not None:
                m = self._begin(frame.f_globals.get("__name__"), path)
                m.frame = frame

                def local(frame, event, arg):
                    if event == "line":
                        m.line(frame.f_lineno, _now())
                    elif event == "return":
                        self._finish(m)
                    return local

                return local
            return None
        top = self.stack[-1] if self.stack else None
        if top is not None and frame.f_back is getattr(top, "frame", None) and frame.f_globals is not _OWN:
            module = frame.f_globals.get("__name__")
            name = getattr(code, "co_qualname", code.co_name)
            top.called("%s.%s" % (module, name), module, _now())
        return None

    # Python 3.12+: sys.monitoring, events local to the user's module code objects
    def _start_monitoring(self):
        mon = sys.monitoring
        free = [i for i in (mon.PROFILER_ID, 3, 4, mon.DEBUGGER_ID, mon.COVERAGE_ID, mon.OPTIMIZER_ID) if mon.get_tool(i) is None]
        if not free:
            raise RuntimeError("every sys.monitoring tool id is taken")
        self.tool = free[0]
        mon.use_tool_id(self.tool, "lambda-cold")
        E = mon.events
        by_code = {}
        mon.register_callback(self.tool, E.PY_START, lambda code, offset: by_code.__setitem__(code, self._begin(*self.codes[code])) if code in self.codes else None)
        mon.register_callback(self.tool, E.LINE, lambda code, line: by_code[code].line(line, _now()) if code in by_code else None)
        mon.register_callback(self.tool, E.CALL, lambda code, offset, obj, arg0: by_code[code].called(*(_callee(obj) + (_now(),))) if code in by_code else None)
        mon.register_callback(self.tool, E.PY_RETURN, lambda code, offset, value: self._finish(by_code[code]) if code in by_code else None)
        self.codes = {}
        self.events = E.PY_START | E.LINE | E.CALL | E.PY_RETURN
        self.get_code = _external.SourceLoader.get_code
        original, attribution = self.get_code, self

        def get_code(loader, fullname):
            code = original(loader, fullname)
            path = attribution._target(code.co_filename) if code is not None else None
            if path is not None:
                attribution.codes[code] = (fullname, path)
                mon.set_local_events(attribution.tool, code, attribution.events)
            return code

        _external.SourceLoader.get_code = get_code

    def _stop_monitoring(self):
        mon = sys.monitoring
        _external.SourceLoader.get_code = self.get_code
        for code in self.codes:
            mon.set_local_events(self.tool, code, 0)
        for event in (mon.events.PY_START, mon.events.LINE, mon.events.CALL, mon.events.PY_RETURN):
            mon.register_callback(self.tool, event, None)
        mon.free_tool_id(self.tool)

    def result(self):
        return {"tracer": self.tracer, "error": self.error, "modules": [m.result() for m in self.modules]}


