"""KBL301: a branch on ``K.backend() == 'theano'`` that the target can never take.

When the comparison is the whole test of an ``if``/``elif`` or of a conditional expression, the live branch stays
and the dead one goes; anywhere else the comparison becomes the constant it always is (``True``/``False``).
Safe: on every release of the target the comparison has one value (that is what KBL301 reports), so the removed
code could never run; nothing else is evaluated differently, since ``K.backend()`` has no side effects.
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
    always = isinstance(compare.ops[0], _ALWAYS_TRUE)
    parent = planner.parents.get(id(compare))
    if isinstance(parent, (ast.If, ast.IfExp)) and parent.test is compare:
        planner.plan.branches[planner.lines.pos(parent)] = "body" if always else "orelse"
        dead = parent.orelse if always else parent.body
        planner.removed.extend([compare, *(dead if isinstance(dead, list) else [dead])])
    else:
        # anywhere else (``x and K.backend() == 'theano'``, an assignment) the comparison is its constant value
        planner.plan.nodes[planner.lines.pos(compare)] = "True" if always else "False"
        planner.removed.append(compare)
    return None
