"""The autofixer: rewrite legacy ``keras.backend`` use to Keras 3, keeping behaviour.

Two phases:

1. *Plan* on the ``ast`` tree, with the engine's own findings and binding resolver, so the fixer rewrites exactly
   what the checker reports. Every decision (is the call's argument list mappable, which alias to use, which import
   becomes unused) is made here. Files without a fixable finding stop here: libcst is never imported for them.
2. *Execute* with libcst: nodes are matched by source position (``PositionProvider``), replaced, imports removed
   and added (in place of a removed backend import, else after the leading imports). Only the top-level
   statements that hold an edit are parsed by libcst. Everything outside the edits keeps its exact text.

KBL102, KBL201 and KBL204 are fixed here; KBL106/KBL107 by ``fixes/imports_moved.py``, applied last. A finding
is fixed when its code is selected and its fix kind (``Violation.fix``: safe, or unsafe with ``unsafe=True``) is
allowed; findings whose call cannot be mapped (``*args``/``**kwargs``, unknown keywords, dropped parameters
passed with other values) are left for the user.
"""
from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from . import rules
from .bindings import ModuleInfo, analyse
from .checks.common import BACKEND_MODULES, LEAKED_MODULES
from .engine import check_tree, mentions_keras
from .replacements import IMPLICIT_PARAMS, NONE, SAFE, UNSAFE, Replacement, replacement_for
from .report import Violation

__all__ = ["FIXABLE_CODES", "fix_source", "selected_codes", "plan_fixes"]

FIXABLE_CODES: Tuple[str, ...] = tuple(r.code for r in rules.RULES if r.fix != rules.NO_FIX)

#: modules reached through the backend (KBL204) that the fixer imports directly: module -> preferred (shortest)
#: alias, derived from the checker's table; Theano/CNTK and private TensorFlow modules are not worth importing
_DIRECT_MODULES = {
    module: alias
    for alias, module in sorted(LEAKED_MODULES.items(), key=lambda item: -len(item[0]))
    if "." not in module and module not in ("theano", "cntk")
}

_MOVED_IMPORT_CODES = frozenset({"KBL106", "KBL107"})

Pos = Tuple[int, int, int, int]  # (line, col, end_line, end_col); columns in characters, like libcst


def selected_codes(select: Optional[Iterable[str]], ignore: Optional[Iterable[str]]) -> FrozenSet[str]:
    """The fixable codes left after ``--select``/``--ignore`` (codes or prefixes such as ``KBL2``)."""
    def matches(code: str, patterns: Iterable[str]) -> bool:
        return any(code.startswith(p.strip().upper()) for p in patterns if p.strip())

    codes = set(FIXABLE_CODES)
    if select:
        codes = {c for c in codes if matches(c, select)}
    if ignore:
        codes = {c for c in codes if not matches(c, ignore)}
    return frozenset(codes)


# ----------------------------------------------------------------------------------------------------- the plan
@dataclass
class CallEdit:
    """Replace a call's function (and map its arguments), or a bare reference when ``call`` is None."""

    target: str  # dotted Keras 3 path, e.g. keras.ops.mean
    args: Optional[List[Tuple[int, Optional[str]]]] = None  # per original arg: keep-positional (None) / keyword name
    drop: FrozenSet[int] = frozenset()  # indices of original args to drop
    extra: List[Tuple[str, str]] = field(default_factory=list)  # appended keyword=value (source text)


@dataclass
class Plan:
    #: position of the function expression (call) or reference -> edit
    calls: Dict[Pos, CallEdit] = field(default_factory=dict)  # keyed by the Call node position
    refs: Dict[Pos, CallEdit] = field(default_factory=dict)  # keyed by the Attribute/Name position
    modules: Dict[Pos, str] = field(default_factory=dict)  # K.tf -> alias expression text
    #: ImportFrom position -> new module for a whole ``from keras.backend import a, b``
    import_modules: Dict[Pos, str] = field(default_factory=dict)
    #: names whose import alias is removed (bound name), per import statement position
    remove_aliases: Dict[Pos, Set[str]] = field(default_factory=dict)
    #: imports to add: (module, obj, asname)
    add_imports: Set[Tuple[str, Optional[str], Optional[str]]] = field(default_factory=set)
    fixed: List[Tuple[int, int, str]] = field(default_factory=list)
    #: safe KBL106/KBL107 findings, fixed by fixes/imports_moved.py after the rest (kept so it need not re-check)
    moved_imports: List[Violation] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.calls or self.refs or self.modules or self.import_modules or self.remove_aliases)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(source: str) -> List[str]:
    """Lines with their endings, split where Python's tokenizer splits (``\\r\\n``, ``\\r``, ``\\n``) so that
    index ``n - 1`` is ast line ``n``; ``str.splitlines`` also splits at form feeds, ``\\x1c``-``\\x1e``, ``\\x85``
    and U+2028/9."""
    return _LINE.findall(source)


class _Lines:
    """ast columns are UTF-8 byte offsets; libcst's are characters."""

    def __init__(self, source: str) -> None:
        self.lines = split_lines(source)

    def col(self, line: int, byte_col: int) -> int:
        if line - 1 >= len(self.lines):
            return byte_col
        text = self.lines[line - 1]
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    def pos(self, node: ast.AST) -> Pos:
        return (
            node.lineno,
            self.col(node.lineno, node.col_offset),
            node.end_lineno,
            self.col(node.end_lineno, node.end_col_offset),
        )


class _Names:
    """Every binding and load of every name in the file, scope-blind (the fixer's conservative questions)."""

    def __init__(self, tree: ast.AST) -> None:
        self.bindings: Dict[str, List[Optional[str]]] = {}  # name -> [qualified import name or None]
        self.loads: Dict[str, List[ast.Name]] = {}
        self.star = False
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    self.loads.setdefault(node.id, []).append(node)
                else:
                    self._bind(node.id, None)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    if alias.name == "*":
                        self.star = True
                        continue
                    if isinstance(node, ast.Import):
                        if alias.asname:
                            self._bind(alias.asname, alias.name)
                        else:
                            top = alias.name.split(".", 1)[0]
                            self._bind(top, top)
                    elif node.level or not node.module:
                        self._bind(alias.asname or alias.name, None)
                    else:
                        self._bind(alias.asname or alias.name, f"{node.module}.{alias.name}")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self._bind(node.name, None)
            elif isinstance(node, ast.arg):
                self._bind(node.arg, None)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self._bind(node.name, None)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    self._bind(name, None)
            elif type(node).__name__ in ("MatchAs", "MatchStar") and getattr(node, "name", None):
                self._bind(node.name, None)
            elif type(node).__name__ == "MatchMapping" and getattr(node, "rest", None):
                self._bind(node.rest, None)

    def _bind(self, name: str, qname: Optional[str]) -> None:
        self.bindings.setdefault(name, []).append(qname)

    def free(self, name: str) -> bool:
        return not self.star and name not in self.bindings and name not in self.loads

    def only(self, name: str) -> Optional[str]:
        """The module the name is bound to when every binding in the file is an import of that one module."""
        values = self.bindings.get(name)
        if not values or None in values or len(set(values)) != 1:
            return None
        return values[0]


class _Aliases:
    """How to spell a Keras 3 / TensorFlow path in this file, and which imports that needs."""

    def __init__(self, names: _Names, info: ModuleInfo) -> None:
        self.names = names
        self.chosen: Dict[str, Optional[Tuple[str, Optional[Tuple[str, Optional[str], Optional[str]]]]]] = {}

    def _module(self, module: str, preferred: str, from_parent: Optional[Tuple[str, str]] = None):
        """(alias text, import to add or None) for ``module``; None when no safe spelling exists."""
        if module in self.chosen:
            return self.chosen[module]
        found = None
        existing = sorted(n for n, v in self.names.bindings.items() if self.names.only(n) == module)
        if existing:
            found = (existing[0], None)
        elif self.names.free(preferred):
            if from_parent:
                asname = None if preferred == from_parent[1] else preferred
                found = (preferred, (from_parent[0], from_parent[1], asname))
            elif "." in module or preferred != module:
                found = (preferred, (module, None, preferred))
            else:
                found = (preferred, (module, None, None))
        self.chosen[module] = found
        return found

    def spell(self, target: str):
        """``keras.ops.mean`` -> ("ops.mean", {("keras", "ops", None)}) or None."""
        if target.startswith("keras.ops."):
            ops = self._module("keras.ops", "ops", ("keras", "ops"))
            if ops is not None:
                return ops[0] + target[len("keras.ops"):], ops[1]
        if target.startswith("keras."):
            keras = self._module("keras", "keras")
            if keras is None:
                return None
            return keras[0] + target[len("keras"):], keras[1]
        module = target
        preferred = _DIRECT_MODULES.get(module)
        if preferred is None:
            return None
        spelled = self._module(module, preferred)
        if spelled is None and preferred != module:
            spelled = self._module(module + "#plain", module)  # e.g. tf taken: import tensorflow
            if spelled is not None:
                spelled = (spelled[0], (module, None, None))
        return spelled


def _identity(entry: Replacement, name: str) -> bool:
    """True when the new function takes the old arguments unchanged (a bare reference can be replaced)."""
    if entry.kind != "call" or entry.target is None:
        return False
    params = entry.params
    if any((name, p.name) in IMPLICIT_PARAMS for p in params):
        return False
    for index, param in enumerate(params):
        if param.new_name != param.name:
            return False
        if index >= len(entry.new_positional) or entry.new_positional[index] != param.new_name:
            return False
        if param.default is not None and _norm(param.default) != _norm(param.new_default or ""):
            return False
        if param.default is None and param.new_default not in ("", None):
            return False
    return True


def _norm(text: str) -> str:
    try:
        return ast.unparse(ast.parse(text, mode="eval"))
    except SyntaxError:
        return text.strip()


def _map_call(entry: Replacement, name: str, call: ast.Call) -> Optional[CallEdit]:
    """Bind the call to the OLD signature and emit it for the NEW one; None when that cannot keep behaviour."""
    implicit = {p.name for p in entry.params if (name, p.name) in IMPLICIT_PARAMS}
    params = [p for p in entry.params if p.name not in implicit]
    by_name = {p.name: i for i, p in enumerate(params)}
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    if len(call.args) > len(params):
        return None
    bound: Dict[str, ast.expr] = {}
    for index, arg in enumerate(call.args):
        bound[params[index].name] = arg
    for kw in call.keywords:
        if kw.arg not in by_name or kw.arg in bound:
            return None
        bound[kw.arg] = kw.value
    args: List[Tuple[int, Optional[str]]] = []
    drop = set()
    positional_ok = True
    for index, arg in enumerate(call.args):
        param = params[index]
        if param.new_name is None:
            if param.default is None or _norm(ast.unparse(arg)) != _norm(param.default):
                return None
            drop.add(index)
            positional_ok = False
            continue
        if positional_ok and index < len(entry.new_positional) and entry.new_positional[index] == param.new_name:
            args.append((index, None))
        else:
            positional_ok = False
            args.append((index, param.new_name))
    for offset, kw in enumerate(call.keywords):
        index = len(call.args) + offset
        param = params[by_name[kw.arg]]
        if param.new_name is None:
            if param.default is None or _norm(ast.unparse(kw.value)) != _norm(param.default):
                return None
            drop.add(index)
            continue
        args.append((index, param.new_name))
    extra: List[Tuple[str, str]] = []
    for param in entry.params:
        if param.name in bound:
            continue
        if param.default is None:
            return None  # a required argument is missing: the old call was broken, leave it alone
        if param.new_name is None:
            continue
        if param.new_default == "" or _norm(param.default) != _norm(param.new_default or "None"):
            extra.append((param.new_name, param.default))
    return CallEdit(entry.target, args, frozenset(drop), extra)


def _allowed(kind: str, unsafe: bool) -> bool:
    return kind == SAFE or (unsafe and kind == UNSAFE)


def plan_fixes(tree: ast.Module, source: str, settings, *, unsafe: bool = False, codes=None) -> Plan:
    """Decide every edit on the ast tree; ``codes``: the fixable codes selected (default all)."""
    codes = frozenset(FIXABLE_CODES) if codes is None else codes
    plan = Plan()
    findings = [v for v in check_tree(tree, settings, text=source) if v.code in codes and _allowed(v.fix, unsafe)]
    plan.moved_imports = [v for v in findings if v.code in _MOVED_IMPORT_CODES and v.fix == SAFE]
    if not findings:
        return plan
    info = analyse(tree)
    names = _Names(tree)
    aliases = _Aliases(names, info)
    lines = _Lines(source)
    wanted_attr = {(v.line, v.col): v for v in findings if v.code in ("KBL201", "KBL204")}
    wanted_import = {(v.line, v.col) for v in findings if v.code == "KBL102"}

    parents: Dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            parents[id(node.func)] = node

    consumed: Dict[str, int] = {}  # backend alias name -> loads rewritten away

    def root_name(node: ast.AST) -> Optional[str]:
        while isinstance(node, ast.Attribute):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def add_use(node: ast.AST, name: str, fix_kind: str, code: str, ref_node: ast.AST) -> bool:
        """Plan the rewrite of one use of backend name ``name`` (``ref_node`` is K.name or a bare Name)."""
        entry = replacement_for(name)
        if entry is None or entry.target is None or entry.kind != "call" or entry.safety == NONE:
            return False
        if not _allowed(entry.safety, unsafe) or not _allowed(fix_kind, unsafe):
            return False
        spelled = aliases.spell(entry.target)
        if spelled is None:
            return False
        call = parents.get(id(ref_node))
        if call is not None:
            edit = _map_call(entry, name, call)
            if edit is None:
                return False
            edit.target = spelled[0]
            plan.calls[lines.pos(call)] = edit
        else:
            if not _identity(entry, name):
                return False
            plan.refs[lines.pos(ref_node)] = CallEdit(spelled[0])
        if spelled[1] is not None:
            plan.add_imports.add(spelled[1])
        plan.fixed.append((node.lineno, node.col_offset, code))
        return True

    # KBL201 / KBL204: attribute access on the backend
    for event in info.attributes:
        node = event.node
        violation = wanted_attr.get((node.lineno, node.col_offset))
        if violation is None:
            continue
        qnames = info.resolve_expr(node.value, event.scope)
        if not qnames or any(q not in BACKEND_MODULES for q in qnames):
            continue
        done = False
        if violation.code == "KBL204":
            module = LEAKED_MODULES.get(node.attr)
            if module in _DIRECT_MODULES:
                spelled = aliases.spell(module)
                if spelled is not None:
                    plan.modules[lines.pos(node)] = spelled[0]
                    if spelled[1] is not None:
                        plan.add_imports.add(spelled[1])
                    plan.fixed.append((node.lineno, node.col_offset, violation.code))
                    done = True
        else:
            done = add_use(node, node.attr, violation.fix, violation.code, node)
        if done:
            root = root_name(node.value)
            if root is not None:
                consumed[root] = consumed.get(root, 0) + 1

    # KBL102: from keras.backend import name
    if wanted_import:
        from .checks.names import check_name
        from .surface import load

        api = load()
        for event in info.imports:
            node = event.node
            if not isinstance(node, ast.ImportFrom) or (node.lineno, node.col_offset) not in wanted_import:
                continue
            surface = BACKEND_MODULES.get(node.module or "")
            if surface is None or event.context.catches_for("import"):
                continue
            found = []
            for alias in node.names:
                v = check_name(api, settings, frozenset({surface}), alias.name, node, alias.name, imported=True)
                ok = v is not None and v.code == "KBL102" and v.code in codes and _allowed(v.fix, unsafe)
                found.append((alias, v if ok else None))
            _plan_import(node, found, plan, names, aliases, lines, add_use, unsafe)

    # remove backend imports nothing uses any more (a name listed in __all__ is used by importers)
    exported = {
        elt.value
        for stmt in tree.body
        if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign))
        and any(
            isinstance(t, ast.Name) and t.id == "__all__"
            for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
        )
        and isinstance(stmt.value, (ast.List, ast.Tuple))
        for elt in stmt.value.elts
        if isinstance(elt, ast.Constant)
    }
    for bound, count in consumed.items():
        loads = len(names.loads.get(bound, ()))
        qname = names.only(bound)
        if count != loads or qname not in BACKEND_MODULES or bound in exported:
            continue
        for event in info.imports:
            node = event.node
            for alias in node.names:
                name = alias.asname or (alias.name if isinstance(node, ast.ImportFrom) else alias.name.split(".")[0])
                if name == bound:
                    plan.remove_aliases.setdefault(lines.pos(node), set()).add(bound)
    # a new import goes to the top of the module: only where the module already imports keras there, unguarded
    # (else a lazy or try/except ImportError import of keras would become an eager, unguarded one)
    for module, _, _ in plan.add_imports:
        if not _imported_at_top(info, {"keras", module.split(".")[0]}):
            return Plan()
    return plan


def _imported_at_top(info: ModuleInfo, packages) -> bool:
    """Whether the module imports one of ``packages`` at module level, unconditionally and outside any try."""
    for event in info.imports:
        ctx, node = event.context, event.node
        if not ctx.top_level or ctx.conditions or ctx.catches:
            continue
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            modules = [] if node.level else [node.module or ""]
        if any(m.split(".")[0] in packages for m in modules):
            return True
    return False


def _plan_import(node, found, plan: Plan, names: _Names, aliases: _Aliases, lines: _Lines, add_use, unsafe) -> None:
    entries = [(alias, v, replacement_for(alias.name)) for alias, v in found]
    whole = all(
        v is not None
        and e is not None
        and e.target is not None
        and e.safety != NONE
        and _allowed(e.safety, unsafe)
        and e.target.rpartition(".")[2] == alias.name
        and _identity(e, alias.name)
        for alias, v, e in entries
    )
    if whole and len({e.target.rpartition(".")[0] for _, _, e in entries}) == 1:
        plan.import_modules[lines.pos(node)] = entries[0][2].target.rpartition(".")[0]
        plan.fixed.append((node.lineno, node.col_offset, "KBL102"))
        return
    # rewrite the uses of each fixable name, then drop it from the import
    for alias, v, entry in entries:
        if v is None or entry is None:
            continue
        bound = alias.asname or alias.name
        if names.bindings.get(bound) != [f"{node.module}.{alias.name}"]:
            continue  # bound elsewhere too: cannot tell which uses are the backend's
        uses = names.loads.get(bound, [])
        saved = (dict(plan.calls), dict(plan.refs), set(plan.add_imports), list(plan.fixed))
        if all(add_use(use, alias.name, v.fix, "KBL102", use) for use in uses):
            plan.remove_aliases.setdefault(lines.pos(node), set()).add(bound)
        else:
            plan.calls, plan.refs, plan.add_imports, plan.fixed = saved


# ----------------------------------------------------------------------------------------------------- execution
def _execute(source: str, plan: Plan, tree: Optional[ast.Module] = None) -> str:
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    def expr(text: str) -> cst.BaseExpression:
        return cst.parse_expression(text)

    def pos_of(meta, node) -> Optional[Pos]:
        try:
            r = meta[node]
        except KeyError:
            return None
        return (r.start.line, r.start.column, r.end.line, r.end.column)

    class Rewriter(cst.CSTTransformer):
        METADATA_DEPENDENCIES = (PositionProvider,)

        def __init__(self) -> None:
            super().__init__()
            self.applied = 0
            self.depth = 0
            self.offset = 0
            self.pending = [_import_stmt(cst, *item) for item in sorted(
                plan.add_imports, key=lambda t: (t[0], t[1] or "", t[2] or ""))]

        def visit_IndentedBlock(self, node):
            self.depth += 1

        def _pos(self, node) -> Optional[Pos]:
            pos = pos_of(self.metadata[PositionProvider], node)
            if pos is None or not self.offset:
                return pos
            return (pos[0] + self.offset, pos[1], pos[2] + self.offset, pos[3])

        def leave_Call(self, original, updated):
            edit = plan.calls.get(self._pos(original))
            if edit is None:
                return updated
            self.applied += 1
            new_args = []
            old = list(updated.args)
            for index, keyword in edit.args:
                arg = old[index]
                if keyword is None:
                    new_args.append(arg)
                elif arg.keyword is not None:
                    new_args.append(arg.with_changes(keyword=cst.Name(keyword)))
                else:
                    new_args.append(
                        arg.with_changes(
                            keyword=cst.Name(keyword),
                            equal=cst.AssignEqual(
                                whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                            ),
                        )
                    )
            for keyword, value in edit.extra:
                new_args.append(
                    cst.Arg(
                        value=expr(value),
                        keyword=cst.Name(keyword),
                        equal=cst.AssignEqual(
                            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                        ),
                    )
                )
            trailing = old[-1].comma if old and isinstance(old[-1].comma, cst.Comma) else None
            fixed = []
            for i, arg in enumerate(new_args):
                last = i == len(new_args) - 1
                if last:
                    comma = trailing if trailing is not None else cst.MaybeSentinel.DEFAULT
                    fixed.append(arg.with_changes(comma=comma))
                elif isinstance(arg.comma, cst.Comma):
                    fixed.append(arg)
                else:
                    fixed.append(arg.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))))
            return updated.with_changes(func=expr(edit.target), args=fixed)

        def _ref(self, original, updated):
            pos = self._pos(original)
            edit = plan.refs.get(pos)
            if edit is not None:
                self.applied += 1
                return expr(edit.target).with_changes(lpar=updated.lpar, rpar=updated.rpar)
            alias = plan.modules.get(pos)
            if alias is not None:
                self.applied += 1
                return expr(alias).with_changes(lpar=updated.lpar, rpar=updated.rpar)
            return updated

        def leave_Attribute(self, original, updated):
            return self._ref(original, updated)

        def leave_Name(self, original, updated):
            return self._ref(original, updated) if plan.refs else updated

        def leave_ImportFrom(self, original, updated):
            pos = self._pos(original)
            module = plan.import_modules.get(pos)
            if module is not None:
                self.applied += 1
                return updated.with_changes(module=expr(module))
            return self._remove(pos, updated)

        def leave_Import(self, original, updated):
            return self._remove(self._pos(original), updated)

        def _remove(self, pos, updated):
            drop = plan.remove_aliases.get(pos)
            if not drop or isinstance(updated.names, cst.ImportStar):
                return updated
            kept = []
            for alias in updated.names:
                if alias.asname is not None:
                    bound = alias.asname.name.value
                else:
                    bound = cst.Module([]).code_for_node(alias.name).split(".")[0]
                if bound not in drop:
                    kept.append(alias)
            self.applied += 1
            if not kept:
                if self.depth == 0 and self.pending:
                    return self.pending.pop(0)  # the new import takes the removed one's place
                return cst.RemoveFromParent()
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            changes = {"names": kept}
            if isinstance(updated, cst.ImportFrom) and updated.rpar is not None and len(kept) == 1:
                pass
            return updated.with_changes(**changes)

        def leave_IndentedBlock(self, original, updated):
            self.depth -= 1
            if not updated.body:
                return updated.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
            return updated

    if tree is not None:
        try:
            chunked = _execute_chunks(cst, MetadataWrapper, source, plan, tree, Rewriter)
        except cst.ParserSyntaxError:
            chunked = None
        if chunked is not None:
            return chunked
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    rewriter = Rewriter()
    result = wrapper.visit(rewriter)
    if not rewriter.applied:
        return source
    if rewriter.pending:
        result = _insert_imports(cst, result, rewriter.pending)
    if not result.body:
        return source if not result.code.strip() else result.code
    return result.code


def _plan_lines(plan: Plan) -> List[int]:
    keys = list(plan.calls) + list(plan.refs) + list(plan.modules) + list(plan.import_modules)
    keys += list(plan.remove_aliases)
    return sorted({k[0] for k in keys} | {k[2] for k in keys})


def _execute_chunks(cst, MetadataWrapper, source: str, plan: Plan, tree: ast.Module, Rewriter) -> Optional[str]:
    """Parse with libcst only the top-level statements that hold an edit (big files: most of them do not).

    Returns None when the file cannot be split that way (the caller parses the whole module).
    """
    lines = split_lines(source)
    spans: List[List[int]] = []  # [first line, last line] of top-level statements, merged when they share lines
    for stmt in tree.body:
        first = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
        if spans and first <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], stmt.end_lineno)
        else:
            spans.append([first, stmt.end_lineno])
    if not spans:
        return None
    wanted = _plan_lines(plan)
    chosen = [sp for sp in spans if any(sp[0] <= line <= sp[1] for line in wanted)]
    if not chosen:
        return None
    pending = None
    replaced: Dict[int, Tuple[int, str]] = {}  # first line -> (last line, new text)
    applied = 0
    for first, last in chosen:
        chunk = "".join(lines[first - 1:last])
        rewriter = Rewriter()
        if pending is None:
            pending = rewriter.pending
        rewriter.pending = pending
        rewriter.offset = first - 1
        module = cst.parse_module(chunk)
        result = MetadataWrapper(module, unsafe_skip_copy=True).visit(rewriter)
        applied += rewriter.applied
        code = result.code if result.body else ""
        if code and chunk.endswith("\r") and not code.endswith(("\r", "\n")):
            code += "\r"  # libcst drops a module's final lone CR; here it separates this chunk from the next line
        replaced[first] = (last, code)
    if not applied:
        return source
    insert_after = None
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    extra = ""
    if pending:
        # after the leading docstring and imports of the original module (a removed import keeps its place)
        index = 0
        for i, stmt in enumerate(tree.body):
            is_doc = i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(
                stmt.value.value, str)
            if is_doc or isinstance(stmt, (ast.Import, ast.ImportFrom)):
                index = i + 1
            else:
                break
        empty = cst.Module(body=[], default_newline=newline)
        extra = "".join(empty.code_for_node(cst.SimpleStatementLine(body=[stmt])) for stmt in pending)
        if index == 0:
            first = tree.body[0]
            insert_before = min([first.lineno] + [d.lineno for d in getattr(first, "decorator_list", [])])
            insert_after = insert_before - 1
        else:
            insert_after = max(sp[1] for sp in spans if sp[0] <= tree.body[index - 1].end_lineno)
            nxt = tree.body[index] if index < len(tree.body) else None
            if index == 1 and not isinstance(tree.body[0], (ast.Import, ast.ImportFrom)):
                extra = newline + extra  # only a docstring before: a blank line between it and the imports
            elif nxt is not None and insert_after < len(lines) and lines[insert_after].strip():
                if not isinstance(nxt, (ast.Import, ast.ImportFrom)):
                    extra += newline
        if insert_after > 0 and not lines[insert_after - 1].endswith(("\n", "\r")):
            extra = newline + extra
    out: List[str] = []
    line = 1
    if insert_after == 0:
        out.append(extra)
    while line <= len(lines):
        if line in replaced:
            last, code = replaced[line]
            out.append(code)
            line = last + 1
        else:
            out.append(lines[line - 1])
            line += 1
        if insert_after is not None and insert_after > 0 and line - 1 == insert_after:
            out.append(extra)
    return "".join(out)


def _import_stmt(cst, module: str, obj: Optional[str], asname: Optional[str]):
    """``from module import obj [as asname]`` or ``import module [as asname]`` as a small statement."""
    alias_name = cst.Name(obj) if obj else cst.parse_expression(module)
    alias = cst.ImportAlias(name=alias_name, asname=cst.AsName(name=cst.Name(asname)) if asname else None)
    if obj:
        return cst.ImportFrom(module=cst.parse_expression(module), names=[alias])
    return cst.Import(names=[alias])


def _insert_imports(cst, module, statements):
    """Add import lines after the module's leading docstring/imports (one new line each)."""
    body = list(module.body)
    index = 0
    for i, stmt in enumerate(body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            break
        small = stmt.body
        is_doc = i == 0 and len(small) == 1 and isinstance(small[0], cst.Expr) and isinstance(
            small[0].value, (cst.SimpleString, cst.ConcatenatedString))
        if is_doc or all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in small):
            index = i + 1
        else:
            break
    lines = [cst.SimpleStatementLine(body=[stmt]) for stmt in statements]
    if index < len(body) and index > 0 and not body[index].leading_lines and not _is_import_line(cst, body[index - 1]):
        lines[0] = lines[0].with_changes(leading_lines=[cst.EmptyLine()])
    body[index:index] = lines
    return module.with_changes(body=body)


def _is_import_line(cst, stmt) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body)


class UnsupportedSyntax(ValueError):
    """Valid Python that libcst cannot parse (e.g. a form feed starting a line in a nested block): not fixed."""


def fix_source(source: str, settings, *, unsafe: bool = False, select=None, ignore=None) -> str:
    """Return ``source`` rewritten to Keras 3; the same object when nothing applies.

    Raises SyntaxError/ValueError for input that does not parse (callers report it), including
    ``UnsupportedSyntax`` for valid Python that libcst cannot parse.
    """
    if not mentions_keras(source):
        return source
    codes = selected_codes(select, ignore)
    if not codes:
        return source
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes warn (error under -W error); not a reason to skip a file
        tree = ast.parse(source)
    plan = plan_fixes(tree, source, settings, unsafe=unsafe, codes=codes)
    fixed = source
    if plan:
        import libcst as cst

        try:
            fixed = _execute(source, plan, tree)
        except cst.ParserSyntaxError as exc:
            detail = " ".join(str(exc).splitlines()[:2])
            raise UnsupportedSyntax(f"libcst cannot parse this file ({detail}); not fixed") from None
    if plan.moved_imports:  # KBL106/KBL107: statement-level text edits, after the backend fixes
        from .fixes.imports_moved import apply_edits, fix_moved_imports, plan_import_fixes

        if fixed == source:  # the findings and tree are still those of the text: no second check
            fixed = apply_edits(source, plan_import_fixes(tree, source, plan.moved_imports, settings))
        else:
            fixed = fix_moved_imports(fixed, settings, codes)
    return source if fixed == source else fixed
