# lambda-cold: what the harness (harness.py, beside this file) learns about imports beyond -X importtime,
# loaded only in the runs that need it (never before a measured import): every import request of the
# handler's import, with who asked, and the libraries pip installed into the task root. Python 3.7+.
import json
import os
import sys


class ImportRecorder(object):
    """Every import request made during the handler's import, including of modules already loaded (which
    -X importtime does not show): who asked (the module whose code ran the statement) and what for.
    Only in an unmeasured warm-up run: wrapping __import__ costs time and adds a frame to every import."""

    def __init__(self):
        import builtins

        self.builtins = builtins
        self.original = builtins.__import__
        self.edges = []
        self.seen = set()

    def start(self):
        original, edges, seen = self.original, self.edges, self.seen
        modules = sys.modules

        def __import__(name, globals=None, locals=None, fromlist=(), level=0):
            result = original(name, globals, locals, fromlist, level)
            try:
                importer = globals.get("__name__") if globals else None
                if not isinstance(importer, str) or importer.startswith("importlib._bootstrap"):
                    # asked from C (an extension module's init) or from importlib's own fromlist handling:
                    # the module whose code is running below importlib's frames (and this wrapper's, for
                    # the import in progress) is the one asking
                    frame = sys._getframe(1)
                    while frame is not None and _internal(frame.f_globals.get("__name__")):
                        frame = frame.f_back
                    importer = frame.f_globals.get("__name__") if frame is not None else None
                if level:
                    package = globals.get("__package__") or (importer if globals.get("__path__") is not None else importer.rpartition(".")[0])
                    base = package.rsplit(".", level - 1)[0] if level > 1 else package
                    absolute = "%s.%s" % (base, name) if name else base
                else:
                    absolute = name
                for target in [absolute] + ["%s.%s" % (absolute, f) for f in (fromlist or ()) if f != "*" and ("%s.%s" % (absolute, f)) in modules]:
                    key = (importer, target)
                    if key not in seen:
                        seen.add(key)
                        edges.append([importer, target])
            except Exception:
                pass
            return result

        self.builtins.__import__ = __import__

    def stop(self):
        self.builtins.__import__ = self.original


def _internal(name):
    """importlib's own frames, this recorder's, and code run by exec() without a module name."""
    return not isinstance(name, str) or name == __name__ or name.startswith("importlib._bootstrap")


def stamps(modules):
    """Each (name, file) with the file's mtime and size: what a cache of facts about those files is keyed by."""
    out = []
    for name, path in modules:
        try:
            st = os.stat(path)
            out.append([name, path, st.st_mtime_ns, st.st_size])
        except OSError:
            out.append([name, path, None, None])
    return out


def cached(path, key):
    """What `path` keeps for `key`, or None (no cache, another key, unreadable)."""
    try:
        with open(path) as f:
            saved = json.load(f)
        return saved["value"] if saved.get("key") == key else None
    except Exception:
        return None


def keep(path, key, value):
    """Keep `value` for `key` in `path` (written whole, then renamed: readers never see half a file)."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = "%s.%d.tmp" % (path, os.getpid())
        with open(tmp, "w") as f:
            json.dump({"key": key, "value": value}, f)
        os.replace(tmp, path)
    except Exception:
        pass


def graph_key(names):
    """What the import graph depends on: the file of every module outside the standard library that the
    handler's import loaded (`names`), with its mtime and size. The standard library is left out: it does not
    change between profiles, and which of it the harness itself had loaded first differs between runs."""
    stdlib = os.path.dirname(os.__file__) + os.sep
    files = []
    for name in sorted(names):
        path = getattr(sys.modules.get(name), "__file__", None)
        # multiprocessing's __mp_main__ is the harness script itself (its source, or its bytecode)
        if name.startswith("__") or not isinstance(path, str) or (path.startswith(stdlib) and "site-packages" not in path[len(stdlib):]):
            continue
        files.append((name, path))
    return stamps(files)


def graph(cache, recorder, loaded):
    """The import requests of the handler's import: recorded now (and kept in `cache`), or, when no
    recorder ran, those kept by an earlier run while the same modules load from unchanged files."""
    key = graph_key(loaded)
    if recorder is not None:
        keep(cache, key, recorder.edges)
        return recorder.edges
    return cached(cache, key)


def installed_top_levels(root):
    """Top-level names that pip installed into the task root: their *.dist-info RECORD (or an egg-info's
    top_level.txt) claims them. Same rule as src/python/distributions.ts: the record, not the folder, says
    whose code it is."""
    names = set()
    try:
        entries = os.listdir(root)
    except OSError:
        return names
    for entry in entries:
        info = os.path.join(root, entry)
        if entry.endswith(".dist-info"):
            try:
                with open(os.path.join(info, "RECORD"), encoding="utf-8") as f:
                    for line in f:
                        path = line.split(",", 1)[0].strip().strip('"')
                        top = path.split("/", 1)[0]
                        if not path or top.startswith("..") or top.endswith((".dist-info", ".egg-info")) or top == "__pycache__":
                            continue
                        names.add(top[:-3] if top.endswith(".py") else top.split(".", 1)[0])
            except OSError:
                pass
        if entry.endswith((".dist-info", ".egg-info")):
            try:
                with open(os.path.join(info, "top_level.txt"), encoding="utf-8") as f:
                    names.update(n.strip() for n in f if n.strip())
            except OSError:
                pass
    return names
