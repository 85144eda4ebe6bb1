"""KBL301: a branch on ``K.backend() == 'theano'`` that the target can never take.

When the comparison is the whole test of an ``if``/``elif`` or of a conditional expression, the live branch stays
and the dead one goes. Safe: on every release of the target the comparison has one value (that is what KBL301
reports), so the removed code could never run; nothing else is evaluated differently, since ``K.backend()`` has no
side effects.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional, Tuple

if TYPE_CHECKING:  # pragma: no cover
    from .plan import Planner

_ALWAYS_TRUE = (ast.NotEq, ast.NotIn, ast.IsNot)


def plan_branch(planner: "Planner", compare: ast.Compare) -> Optional[Tuple[str, str]]:
    from .plan import NOT_FIXED

    if len(compare.ops) != 1:
        return NOT_FIXED, "part of a chained comparison; simplify it by hand"
    parent = planner.parents.get(id(compare))
    if not isinstance(parent, (ast.If, ast.IfExp)) or parent.test is not compare:
        return NOT_FIXED, "the comparison is not the whole test of an if/elif or conditional expression; " \
                          "replace it with its constant value"
    keep = "body" if isinstance(compare.ops[0], _ALWAYS_TRUE) else "orelse"
    planner.plan.branches[planner.lines.pos(parent)] = keep
    return None
