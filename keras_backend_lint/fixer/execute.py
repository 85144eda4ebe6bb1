"""Execution: apply a plan with libcst, matching nodes by source position.

Only the top-level statements that hold an edit are parsed by libcst (big files: most of them do not); the rest of
the file keeps its exact text. Linear in the file size: statements are looked up by line, never scanned per edit.
"""
from __future__ import annotations

import ast
import bisect
from typing import Dict, List, Optional, Tuple

from .lines import Pos, split_lines
from .names import ImportSpec
from .plan import Plan

_ATOMS = ("Name", "Attribute", "Call", "Subscript", "SimpleString", "ConcatenatedString", "FormattedString",
          "Integer", "Float", "Imaginary", "List", "Dict", "Set", "ListComp", "SetComp", "DictComp", "GeneratorExp",
          "Ellipsis")
#: expressions that bind more loosely than a conditional expression's branches may
_LOOSE = ("IfExp", "Lambda", "NamedExpr", "Yield", "YieldFrom")


def execute(source: str, plan: Plan, tree: ast.Module) -> str:
    import libcst as cst

    chunked = _execute_chunks(cst, source, plan, tree)
    if chunked is not None:
        return chunked
    module = cst.parse_module(source)
    rewriter = _rewriter_class()(plan, 0)
    from libcst.metadata import MetadataWrapper

    result = MetadataWrapper(module, unsafe_skip_copy=True).visit(rewriter)
    return result.code if rewriter.applied else source


def _import_line(cst, spec: ImportSpec):
    module, obj, asname = spec
    alias_name = cst.Name(obj) if obj else cst.parse_expression(module)
    alias = cst.ImportAlias(name=alias_name, asname=cst.AsName(name=cst.Name(asname)) if asname else None)
    stmt = cst.ImportFrom(module=cst.parse_expression(module), names=[alias]) if obj else cst.Import(names=[alias])
    return cst.SimpleStatementLine(body=[stmt])


_CLASS = None


def _rewriter_class():
    """Built once, on first use, so that importing this module does not import libcst."""
    global _CLASS
    if _CLASS is not None:
        return _CLASS
    import libcst as cst
    from libcst.metadata import PositionProvider

    def expr(text: str):
        return cst.parse_expression(text)

    class Code(str):
        """An argument's code; ``{0:atom}`` in a template parenthesizes it unless it is atomic, ``{0:call}`` is the
        value of calling it (the body of a ``lambda:``, else ``f()``; ``call:atom`` / ``call:bare`` parenthesize the
        body unless atomic / never)."""

        def __new__(cls, node):
            self = super().__new__(cls, cst.Module([]).code_for_node(node))
            self.node = node
            self.atomic = bool(getattr(node, "lpar", None)) or type(node).__name__ in _ATOMS
            return self

        def __format__(self, spec: str) -> str:
            if spec.startswith("call"):  # "call": a conditional's branch, "call:atom": an operand, "call:bare"
                node = self.node
                if isinstance(node, cst.Lambda) and _no_parameters(node.params):
                    body = Code(node.body)
                    loose = type(node.body).__name__ in _LOOSE
                    wrap = {"call": loose, "call:atom": not body.atomic}.get(spec, False)
                    return f"({body})" if wrap else str(body)
                return f"{self:atom}()"
            return f"({self})" if spec == "atom" and not self.atomic else str(self)

    def _no_parameters(params) -> bool:
        return not (params.params or params.posonly_params or params.kwonly_params or params.star_kwarg
                    or isinstance(params.star_arg, (cst.Param, cst.ParamStar)))

    def keep_parens(new, old):
        return new.with_changes(lpar=old.lpar, rpar=old.rpar) if old.lpar else new

    def statements(body) -> List:
        if isinstance(body, cst.IndentedBlock):
            return list(body.body)
        return [cst.SimpleStatementLine(body=list(body.body))]

    class Rewriter(cst.CSTTransformer):
        METADATA_DEPENDENCIES = (PositionProvider,)

        def __init__(self, plan: Plan, offset: int) -> None:
            super().__init__()
            self.plan, self.offset = plan, offset
            self.applied = 0
            self.elifs: set = set()

        def _pos(self, node) -> Optional[Pos]:
            try:
                r = self.metadata[PositionProvider][node]
            except KeyError:
                return None
            return (r.start.line + self.offset, r.start.column, r.end.line + self.offset, r.end.column)

        # -- expressions ----------------------------------------------------------------------------------------
        def leave_Call(self, original, updated):
            edit = self.plan.calls.get(self._pos(original))
            if edit is None:
                return updated
            self.applied += 1
            if edit.template is not None:
                text = edit.template.format(*(Code(arg.value) for arg in updated.args))
                return keep_parens(expr(text), updated)
            old = list(updated.args)
            new_args = []
            for index, keyword in edit.args or ():
                arg = old[index]
                if keyword is None or arg.keyword is not None:
                    new_args.append(arg if keyword is None else arg.with_changes(keyword=cst.Name(keyword)))
                else:
                    new_args.append(arg.with_changes(keyword=cst.Name(keyword), equal=_equal()))
            for keyword, value in edit.extra:
                new_args.append(cst.Arg(value=expr(value), keyword=cst.Name(keyword), equal=_equal()))
            trailing = old[-1].comma if old and isinstance(old[-1].comma, cst.Comma) else cst.MaybeSentinel.DEFAULT
            fixed = []
            for i, arg in enumerate(new_args):
                if i == len(new_args) - 1:
                    fixed.append(arg.with_changes(comma=trailing))
                elif isinstance(arg.comma, cst.Comma):
                    fixed.append(arg)
                else:
                    fixed.append(arg.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))))
            return updated.with_changes(func=expr(edit.target), args=fixed)

        def leave_Comparison(self, original, updated):
            text = self.plan.nodes.get(self._pos(original))
            if text is None:
                return updated
            self.applied += 1
            return keep_parens(expr(text), updated)

        def _ref(self, original, updated):
            pos = self._pos(original)
            edit = self.plan.refs.get(pos)
            text = edit.target if edit is not None else self.plan.modules.get(pos)
            if text is None:
                return updated
            self.applied += 1
            return keep_parens(expr(text), updated)

        def leave_Attribute(self, original, updated):
            return self._ref(original, updated)

        def leave_Name(self, original, updated):
            return self._ref(original, updated) if self.plan.refs else updated

        def leave_IfExp(self, original, updated):
            keep = self.plan.branches.get(self._pos(original))
            if keep is None:
                return updated
            self.applied += 1
            return keep_parens(updated.body if keep == "body" else updated.orelse, updated)

        # -- statements -----------------------------------------------------------------------------------------
        def visit_If(self, node):
            if isinstance(node.orelse, cst.If):
                self.elifs.add(id(node.orelse))

        def leave_If(self, original, updated):
            keep = self.plan.branches.get(self._pos(original))
            if keep is None:
                return updated
            self.applied += 1
            elif_ = id(original) in self.elifs
            if keep == "body":
                if elif_:
                    return cst.Else(body=updated.body, leading_lines=updated.leading_lines)
                kept = statements(updated.body)
            elif updated.orelse is None:
                return cst.RemoveFromParent()
            elif isinstance(updated.orelse, cst.If):
                if elif_:
                    return updated.orelse
                return updated.orelse.with_changes(leading_lines=updated.leading_lines)
            elif elif_:
                return updated.orelse.with_changes(leading_lines=updated.leading_lines)
            else:
                kept = statements(updated.orelse.body)
            if kept:
                kept[0] = kept[0].with_changes(leading_lines=[*updated.leading_lines, *kept[0].leading_lines])
            return cst.FlattenSentinel(kept)

        def _rewrite_import(self, pos, updated):
            text = self.plan.import_rewrites.get(pos)
            if text is None or pos in self.plan.remove_aliases:  # removal wins: nothing uses it any more
                return None
            self.applied += 1
            return cst.parse_statement(text).body[0]

        def leave_ImportFrom(self, original, updated):
            pos = self._pos(original)
            new = self._rewrite_import(pos, updated)
            if new is not None:
                return new
            module = self.plan.import_modules.get(pos)
            if module is not None:
                self.applied += 1
                return updated.with_changes(module=expr(module))
            return self._remove(pos, updated)

        def leave_Import(self, original, updated):
            pos = self._pos(original)
            new = self._rewrite_import(pos, updated)
            return new if new is not None else self._remove(pos, updated)

        def _remove(self, pos, updated):
            drop = self.plan.remove_aliases.get(pos)
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
                return cst.RemoveFromParent()
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return updated.with_changes(names=kept)

        def leave_SimpleStatementLine(self, original, updated):
            specs: List[ImportSpec] = []
            for small in original.body:
                for spec in self.plan.add_after.get(self._pos(small)) or ():
                    if spec not in specs:
                        specs.append(spec)
            if not specs:
                return updated if updated.body else cst.RemoveFromParent()
            new = [_import_line(cst, spec) for spec in sorted(specs, key=lambda s: (s[0], s[1] or "", s[2] or ""))]
            if not updated.body:  # the backend import was removed: the new import takes its place (and comments)
                new[0] = new[0].with_changes(leading_lines=updated.leading_lines)
                return cst.FlattenSentinel(new)
            return cst.FlattenSentinel([updated, *new])

        def leave_IndentedBlock(self, original, updated):
            if not updated.body:
                return updated.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
            return updated

    def _equal():
        return cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))

    _CLASS = Rewriter
    return Rewriter


def _spans(tree: ast.Module) -> List[List[int]]:
    """[first line, last line] of the top-level statements, merged when they share lines."""
    spans: List[List[int]] = []
    for stmt in tree.body:
        first = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
        last = stmt.end_lineno or stmt.lineno
        if spans and first <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([first, last])
    return spans


def _execute_chunks(cst, source: str, plan: Plan, tree: ast.Module) -> Optional[str]:
    """Parse with libcst only the top-level statements that hold an edit. None: parse the whole module instead."""
    from libcst.metadata import MetadataWrapper

    spans = _spans(tree)
    if not spans:
        return None
    starts = [sp[0] for sp in spans]
    chosen: Dict[int, int] = {}
    for line in plan.lines():
        i = bisect.bisect_right(starts, line) - 1
        if i >= 0 and spans[i][0] <= line <= spans[i][1]:
            chosen[spans[i][0]] = spans[i][1]
    if not chosen:
        return None
    lines = split_lines(source)
    Rewriter = _rewriter_class()
    replaced: Dict[int, Tuple[int, str]] = {}
    applied = 0
    for first, last in sorted(chosen.items()):
        chunk = "".join(lines[first - 1:last])
        rewriter = Rewriter(plan, first - 1)
        result = MetadataWrapper(cst.parse_module(chunk), unsafe_skip_copy=True).visit(rewriter)
        applied += rewriter.applied
        text = result.code if result.body else ""
        if text and chunk.endswith("\r") and not text.endswith(("\r", "\n")):
            text += "\r"  # libcst drops a module's final lone CR; here it separates this chunk from the next line
        replaced[first] = (last, text)
    if not applied:
        return source
    out: List[str] = []
    line = 1
    while line <= len(lines):
        if line in replaced:
            last, text = replaced[line]
            out.append(text)
            line = last + 1
        else:
            out.append(lines[line - 1])
            line += 1
    return "".join(out)
