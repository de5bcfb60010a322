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


def _resolve_relative(module_name, is_package, level, target):
    if level == 0:
        return target
    base = module_name.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([p for p in base + ([target] if target else []) if p])


class _Uses(ast.NodeVisitor):
    """Records, for every name read, whether the read runs at import (module level) or only when a
    function is called. Decorators, default values and (without PEP 563) annotations of a def run at
    import; its body does not. Class bodies run at import."""

    def __init__(self, postponed_annotations):
        self.function_depth = 0
        self.postponed = postponed_annotations
        self.module_level = {}  # name -> first line
        self.in_functions = {}  # name -> first line

    def _record(self, name, line):
        table = self.in_functions if self.function_depth else self.module_level
        if name not in table:
            table[name] = line

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            self._record(node.id, node.lineno)

    def visit_Attribute(self, node):
        # `os.path` reads `os`
        self.generic_visit(node)

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
        self.function_depth += 1
        body = [node.body] if is_lambda else node.body
        for stmt in body:
            self.visit(stmt)
        self.function_depth -= 1

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
    try:
        with open(path, "rb") as f:
            source = f.read()
        tree = ast.parse(source, filename=path)
    except Exception as exc:  # unreadable or not Python: no facts, not an error
        return {"module": module_name, "file": path, "error": "%s: %s" % (type(exc).__name__, exc), "imports": [], "clients": []}
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
                    if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                        exported.add(elt.value)
                    elif isinstance(elt, getattr(ast, "Str", ())):
                        exported.add(elt.s)

    imports = []
    aliases = {}  # bound name -> dotted module/attribute it stands for
    for stmt in _top_level_statements(tree.body):
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

    for imp in imports:
        names = imp["names"]
        # a package's __init__ importing its own submodules makes them attributes of the package: a re-export
        own_submodule = is_package and imp["module"].startswith(module_name + ".")
        if imp.get("star") or own_submodule or any(n in exported for n in names):
            imp["uses"] = "module-level"
            imp["firstUseLine"] = None
            continue
        at_import = [uses.module_level[n] for n in names if n in uses.module_level]
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
                service = None
                if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    service = node.args[0].value
                for kw in node.keywords:
                    if kw.arg == "service_name" and isinstance(kw.value, ast.Constant):
                        service = kw.value.value
                clients.append({"line": node.lineno, "call": full, "service": service})

    return {"module": module_name, "file": path, "error": None, "imports": imports, "clients": clients}


def collect(root):
    """Facts for every module loaded from the task root (the user's own code)."""
    out = []
    real_root = os.path.realpath(root)
    for name, mod in sorted(list(sys.modules.items())):
        path = getattr(mod, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            continue
        real = os.path.realpath(path)
        if real.startswith(real_root + os.sep):
            out.append(file_facts(name, path))
    return out
