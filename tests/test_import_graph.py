"""The project's import graph has no cycles, and no module imports another module's `_private` names.

Pure `ast`, no Django set-up: every `.py` file of the project apps is parsed, and each `import x` /
`from x import y` naming a project module becomes an edge — at module level *and* inside functions (a
function-level import is a cycle deferred to run time, not a cycle avoided). Migrations are left out (Django
loads them by itself, and each imports only `django`). `if TYPE_CHECKING:` blocks do not count: they never run.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("mskoko", "teachers", "indicators", "monitoring", "reports")
# Left for their owners, each with the reason; a new entry needs one too.
ALLOWED_PRIVATE = set()


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _project_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield _module_name(path), path


def _is_type_checking(node):
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree):
    """Import nodes of the tree, skipping `if TYPE_CHECKING:` bodies."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _resolve(module, is_package, node):
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def build_graph():
    """{module: {imported project module: line}} and a list of private-name imports."""
    modules = dict(_project_files())
    graph, private = {}, []

    def owner(name):
        # "teachers.models.Teacher" -> "teachers.models"; a name that is a module stays itself
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        edges = graph.setdefault(module, {})
        is_package = path.name == "__init__.py"
        for node in _imports(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target = owner(alias.name)
                    if target and target != module:
                        edges.setdefault(target, node.lineno)
                continue
            base = _resolve(module, is_package, node)
            for alias in node.names:
                full = f"{base}.{alias.name}" if base else alias.name
                target = owner(full) if full in modules else owner(base)
                if not target:
                    continue
                if target != module:
                    edges.setdefault(target, node.lineno)
                if (full not in modules and alias.name.startswith("_") and not alias.name.startswith("__")
                        and (module, alias.name) not in ALLOWED_PRIVATE):
                    private.append(f"{module}:{node.lineno} imports {alias.name} from {target}")
    return graph, private


def find_cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def _describe(graph, component):
    members = set(component)
    return "\n".join(
        f"  {a} -> {b} (line {line})"
        for a in component for b, line in sorted(graph[a].items()) if b in members)


def test_the_graph_sees_project_imports():
    graph, _ = build_graph()
    assert "teachers.models" in graph["teachers.scoping"]
    assert "reports.documents.registry" in graph["reports.tasks"]
    # a package's import of its own submodule is an edge too (`from . import x` in __init__)
    assert "teachers.models.staff" in graph["teachers.models"]


def test_cycle_detection_finds_a_two_module_loop():
    assert find_cycles({"a": {"b": 1}, "b": {"a": 2}, "c": {"a": 3}}) == [["a", "b"]]
    assert find_cycles({"a": {"b": 1}, "b": {}}) == []


def test_no_import_cycles():
    graph, _ = build_graph()
    cycles = find_cycles(graph)
    assert not cycles, "import cycles:\n" + "\n\n".join(_describe(graph, c) for c in cycles)


def test_no_private_names_imported_across_modules():
    _, private = build_graph()
    assert not private, "private names imported from another module:\n" + "\n".join(private)
