# lambda-cold facts: what the user's own code imports at top level and where each imported name is used,
# read with Python's own `ast` module. Loaded by harness.py after the measured import (and after any
# invocations), in one run only, so nothing here is timed. Must run on Python 3.7+.
import ast
import os
import sys

CLIENT_FACTORIES = ("client", "resource", "Session", "get_session")


def _dotted(node):
    """a.b.c for Name/Attribute chains, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _str_value(node):
    """A string literal's value (ast.Str before Python 3.8, ast.Constant after), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if node.__class__.__name__ == "Str":
        return getattr(node, "s", None)
    return None


def _resolve_relative(module_name, is_package, level, target):
    if level == 0:
        return target
    base = module_name.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([p for p in base + ([target] if target else []) if p])


INIT_METHODS = ("__init__", "__new__", "__post_init__", "__call__")


class _Uses(ast.NodeVisitor):
    """Records, for every name read, whether the read runs at import (module level) or only when a
    function is called. Decorators, default values and (without PEP 563) annotations of a def run at
    import; its body does not. Class bodies run at import.

    A read inside a function is kept with its scope — the top-level function, or (class, method) — so
    that a function that is itself called at import (here, or from another of the user's modules) can
    count as import-time code later. Calls are recorded the same way: at module level, and per scope."""

    def __init__(self, postponed_annotations):
        self.function_depth = 0
        self.postponed = postponed_annotations
        self.module_level = {}  # name -> first line
        self.in_functions = {}  # name -> first line
        self.scoped = []  # (name, line, scope) for reads inside functions
        self.scope = None  # ("f",) for a top-level function, ("C", "m") for a method of a top-level class
        self.class_name = None
        self.module_calls = set()  # dotted names called at module level
        self.scope_calls = {}  # scope -> dotted names it calls
        self.import_nodes = []  # every import statement met, wherever it is

    def _record(self, name, line):
        table = self.in_functions if self.function_depth else self.module_level
        if name not in table:
            table[name] = line
        if self.function_depth and self.scope is not None:
            self.scoped.append((name, line, self.scope))

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            self._record(node.id, node.lineno)

    def visit_Import(self, node):
        self.import_nodes.append(node)

    def visit_ImportFrom(self, node):
        self.import_nodes.append(node)

    def visit_Attribute(self, node):
        # `os.path` reads `os`
        self.generic_visit(node)

    def visit_Call(self, node):
        dotted = _dotted(node.func)
        if dotted:
            if self.function_depth == 0:
                self.module_calls.add(dotted)
            elif self.scope is not None:
                self.scope_calls.setdefault(self.scope, set()).add(dotted)
        self.generic_visit(node)

    def visit_ClassDef(self, node):
        outer = self.class_name
        if self.function_depth == 0 and outer is None:
            self.class_name = node.name
        self.generic_visit(node)
        self.class_name = outer

    def _visit_def(self, node, is_lambda=False):
        if not is_lambda:
            for d in node.decorator_list:
                self.visit(d)
            if node.returns is not None and not self.postponed:
                self.visit(node.returns)
        args = node.args
        for default in list(args.defaults) + [d for d in args.kw_defaults if d is not None]:
            self.visit(default)
        if not is_lambda and not self.postponed:
            all_args = list(args.args) + list(args.kwonlyargs) + list(getattr(args, "posonlyargs", []))
            for extra in (args.vararg, args.kwarg):
                if extra is not None:
                    all_args.append(extra)
            for a in all_args:
                if a.annotation is not None:
                    self.visit(a.annotation)
        outer_scope = self.scope
        if self.function_depth == 0 and not is_lambda:
            self.scope = (self.class_name, node.name) if self.class_name else (node.name,)
        self.function_depth += 1
        body = [node.body] if is_lambda else node.body
        for stmt in body:
            self.visit(stmt)
        self.function_depth -= 1
        self.scope = outer_scope

    def visit_FunctionDef(self, node):
        self._visit_def(node)

    def visit_AsyncFunctionDef(self, node):
        self._visit_def(node)

    def visit_Lambda(self, node):
        self._visit_def(node, is_lambda=True)


def _top_level_statements(body):
    """Statements that run at import: the module body and blocks of top-level if/try/with/for/while."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ast.If, ast.For, ast.While)):
            for s in _top_level_statements(stmt.body):
                yield s
            for s in _top_level_statements(stmt.orelse):
                yield s
        elif isinstance(stmt, ast.With) or stmt.__class__.__name__ == "AsyncWith":
            for s in _top_level_statements(stmt.body):
                yield s
        elif isinstance(stmt, ast.Try) or stmt.__class__.__name__ == "TryStar":
            for block in (stmt.body, stmt.orelse, stmt.finalbody):
                for s in _top_level_statements(block):
                    yield s
            for handler in stmt.handlers:
                for s in _top_level_statements(handler.body):
                    yield s


def _is_submodule(sub, base, module_name, path, is_package, level):
    """`from base import name`: is base.name a module (rather than an attribute of base)?"""
    if sub in sys.modules:
        return True
    # base's folder: this file's own package (relative imports, or a package importing from itself)
    folder = None
    own_package = module_name if is_package else module_name.rpartition(".")[0]
    if base == own_package or level > 0:
        folder = os.path.dirname(path)
        for _ in range(max(level - 1, 0)):
            folder = os.path.dirname(folder)
    else:
        mod = sys.modules.get(base)
        paths = list(getattr(mod, "__path__", []) or [])
        folder = paths[0] if paths else None
    if not folder:
        return False
    name = sub.rpartition(".")[2]
    return os.path.isfile(os.path.join(folder, name + ".py")) or os.path.isdir(os.path.join(folder, name))


def file_facts(module_name, path):
    """One file's facts, on their own (no cross-module view of what runs at import)."""
    facts = _analyse(module_name, path)
    facts.pop("_raw", None)
    return facts


def _analyse(module_name, path):
    try:
        with open(path, "rb") as f:
            source = f.read()
        tree = ast.parse(source, filename=path)
    except Exception as exc:  # unreadable or not Python: no facts, not an error
        return {"module": module_name, "file": path, "error": "%s: %s" % (type(exc).__name__, exc), "imports": [], "innerImports": [], "clients": []}
    is_package = os.path.basename(path) == "__init__.py"
    postponed = any(
        isinstance(s, ast.ImportFrom) and s.module == "__future__" and any(a.name == "annotations" for a in s.names)
        for s in tree.body
    )
    uses = _Uses(postponed)
    for stmt in tree.body:
        uses.visit(stmt)

    exported = set()
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets):
            if isinstance(stmt.value, (ast.List, ast.Tuple)):
                for elt in stmt.value.elts:
                    name = _str_value(elt)
                    if name is not None:
                        exported.add(name)

    imports = []
    aliases = {}  # bound name -> dotted module/attribute it stands for
    top_level = set()
    for stmt in _top_level_statements(tree.body):
        top_level.add(id(stmt))
        if isinstance(stmt, ast.Import):
            for a in stmt.names:
                bound = a.asname or a.name.split(".")[0]
                aliases[bound] = a.name if a.asname else a.name.split(".")[0]
                imports.append({"line": stmt.lineno, "module": a.name, "names": [bound], "kind": "import"})
        elif isinstance(stmt, ast.ImportFrom):
            base = _resolve_relative(module_name, is_package, stmt.level or 0, stmt.module or "")
            if base == "__future__":
                continue
            for a in stmt.names:
                if a.name == "*":
                    imports.append({"line": stmt.lineno, "module": base, "names": [], "kind": "from", "star": True})
                    continue
                bound = a.asname or a.name
                sub = base + "." + a.name if base else a.name
                target = sub if _is_submodule(sub, base, module_name, path, is_package, stmt.level or 0) else base
                aliases[bound] = sub
                imports.append({"line": stmt.lineno, "module": target, "names": [bound], "kind": "from"})

    raw = {"uses": uses, "aliases": aliases, "exported": exported}
    _classify(imports, uses, exported, module_name, is_package, set())
    inner = _inner_imports([n for n in uses.import_nodes if id(n) not in top_level], module_name, is_package)
    facts = {"module": module_name, "file": path, "error": None, "imports": imports, "innerImports": inner, "clients": _clients(tree, aliases)}
    facts["_raw"] = raw
    return facts


def _inner_imports(nodes, module_name, is_package):
    """Import statements inside functions and class bodies: they run only when that code runs, so they
    are not advice's business, but they locate a module that such code imported at import time.
    The line and the module each one brings in, in line order."""
    out = []
    for stmt in nodes:
        if isinstance(stmt, ast.Import):
            for a in stmt.names:
                out.append({"line": stmt.lineno, "module": a.name})
            continue
        base = _resolve_relative(module_name, is_package, stmt.level or 0, stmt.module or "")
        if base == "__future__":
            continue
        for a in stmt.names:
            sub = base + "." + a.name if base else a.name
            # what this locates was imported: a submodule it brought in is in sys.modules (no file lookups)
            out.append({"line": stmt.lineno, "module": sub if sub in sys.modules else base})
    out.sort(key=lambda i: i["line"])
    return out


def _classify(imports, uses, exported, module_name, is_package, init_scopes):
    """Where each import's names are read. `init_scopes`: functions and methods known to run at import."""
    for imp in imports:
        names = imp["names"]
        # a package's __init__ importing its own submodules makes them attributes of the package: a re-export
        own_submodule = is_package and imp["module"].startswith(module_name + ".")
        if imp.get("star") or own_submodule or any(n in exported for n in names):
            imp["uses"] = "module-level"
            imp["firstUseLine"] = None
            continue
        at_import = [uses.module_level[n] for n in names if n in uses.module_level]
        at_import += [line for (n, line, scope) in uses.scoped if n in names and scope in init_scopes]
        in_functions = [uses.in_functions[n] for n in names if n in uses.in_functions]
        if at_import:
            imp["uses"] = "module-level"
            imp["firstUseLine"] = min(at_import)
        elif in_functions:
            imp["uses"] = "functions"
            imp["firstUseLine"] = min(in_functions)
        else:
            imp["uses"] = "none"
            imp["firstUseLine"] = None



def _clients(tree, aliases):
    clients = []
    for stmt in _top_level_statements(tree.body):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for node in ast.walk(stmt):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                break
            if not isinstance(node, ast.Call):
                continue
            dotted = _dotted(node.func)
            if not dotted:
                continue
            head, _, rest = dotted.partition(".")
            full = aliases.get(head, head) + ("." + rest if rest else "")
            if full.split(".")[0] in ("boto3", "botocore", "aiobotocore") and full.split(".")[-1] in CLIENT_FACTORIES:
                service = _str_value(node.args[0]) if node.args else None
                for kw in node.keywords:
                    if kw.arg == "service_name":
                        service = _str_value(kw.value)
                clients.append({"line": node.lineno, "call": full, "service": service})

    return clients


def _init_scopes(all_facts):
    """Functions and methods of the user's modules that run at import: called at module level in their
    own module, or from another user module at its module level (`from app.store import Store; Store()`),
    or by such a function in the same module. A called class runs its __init__/__new__/__post_init__."""
    by_module = dict((f["module"], f) for f in all_facts if "_raw" in f)
    pending = []  # (module, name called)

    def resolve(module, dotted):
        """The user's (module, top-level name) a dotted callee in `module` stands for, if any."""
        raw = by_module[module]["_raw"]
        head, _, rest = dotted.partition(".")
        target = raw["aliases"].get(head)
        if target is None:
            return [(module, head)] if not rest else []
        full = target + ("." + rest if rest else "")
        mod, _, name = full.rpartition(".")
        return [(mod, name)] if mod in by_module else []

    for f in by_module.values():
        for dotted in f["_raw"]["uses"].module_calls:
            pending.extend(resolve(f["module"], dotted))
    scopes = dict((m, set()) for m in by_module)
    seen = set()
    while pending:
        module, name = pending.pop()
        if (module, name) in seen or module not in by_module:
            continue
        seen.add((module, name))
        new = [(name,)] + [(name, m) for m in INIT_METHODS]
        for scope in new:
            if scope in scopes[module]:
                continue
            scopes[module].add(scope)
            for dotted in f_calls(by_module[module], scope):
                pending.extend(resolve(module, dotted))
    return scopes


def f_calls(facts, scope):
    return facts["_raw"]["uses"].scope_calls.get(scope, ())


def collect(root, installed=()):
    """Facts for every module loaded from the task root that is the user's own code: not a library that pip
    installed into it (`installed`: the top-level names its installation records claim, imports.py)."""
    out = []
    real_root = os.path.realpath(root)
    for name, mod in sorted(list(sys.modules.items())):
        path = getattr(mod, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            continue
        if name.split(".", 1)[0] in installed:
            continue
        real = os.path.realpath(path)
        if real.startswith(real_root + os.sep):
            out.append(_analyse(name, path))
    # a second look now that we know which functions run at import, across the user's modules
    scopes = _init_scopes(out)
    for f in out:
        raw = f.pop("_raw", None)
        if raw is None or not scopes.get(f["module"]):
            continue
        path = f["file"]
        _classify(f["imports"], raw["uses"], raw["exported"], f["module"], os.path.basename(path) == "__init__.py", scopes[f["module"]])
    return out
