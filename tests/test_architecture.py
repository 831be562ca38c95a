"""The house plan of cables/, read from the code itself: no import circles among its
modules (imports inside functions count too), no module past MAX_LINES lines, and a
parser that needs no Django."""

import ast
from pathlib import Path

CABLES = Path(__file__).resolve().parent.parent / "cables"
MAX_LINES = 500  # the aim is about 400
# Modules over MAX_LINES today, each with the most lines it may have: the list may only
# shrink (a module that gets under MAX_LINES must leave it) and none may grow.
LONGER = {
    # A table of reference data (every TAGS code described), not code to read through.
    "cables/reference/tag_descriptions.py": 600,
    # The list page's facets with their counts and links; to be split by facet.
    "cables/reading/facets.py": 504,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(CABLES.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(CABLES.rglob("*.py"))}


def imported(path: Path, known: dict[str, Path]) -> set[str]:
    """The modules ``path`` imports, anywhere in it: of cables' modules, those it names
    (a name imported from a package counts as that submodule when there is one); of
    others, the top-level package."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            submodules = {f"{source}.{alias.name}" for alias in node.names}
            found.update(submodules & known.keys() or {source})
    return {
        target if target.split(".")[0] == "cables" else target.split(".")[0] for target in found
    }


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imported(path, known) & known.keys() for name, path in known.items()}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or not (Tarjan's strongly
    connected components of more than one module, or of one importing itself)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(name):
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for target in edges[name]:
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in on_stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            group = []
            while not group or group[-1] != name:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1 or name in edges[name]:
                found.append(sorted(group))

    for name in sorted(edges):
        if name not in index:
            visit(name)
    return found


def test_no_module_of_cables_imports_itself_through_others():
    assert circles(graph()) == []


def test_the_circle_finder_sees_a_circle_of_three():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(edges) == [["a", "b", "c"]]


def test_no_module_of_cables_is_longer_than_the_house_allows():
    lengths = {
        path.relative_to(CABLES.parent).as_posix(): len(path.read_text().splitlines())
        for path in modules().values()
    }
    too_long = {
        name: lines for name, lines in lengths.items() if lines > LONGER.get(name, MAX_LINES)
    }
    assert too_long == {}
    no_longer_long = [name for name in LONGER if lengths.get(name, 0) <= MAX_LINES]
    assert no_longer_long == []  # take them off LONGER


def test_the_parser_needs_no_django():
    known = modules()
    edges = {name: imported(path, known) for name, path in known.items()}
    reached, todo = set(), [name for name in known if name.startswith("cables.parsing")]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(target for target in edges.get(name, ()) if target in known)
    assert not [name for name in sorted(reached) if "django" in edges[name]]
