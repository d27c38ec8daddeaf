"""The demo's calculator: arithmetic on Python's own parser, restricted to what a
calculator does.

An expression is parsed with :mod:`ast` and evaluated by walking the tree: numbers,
``+ - * / // % **`` (``^`` is read as a power, as on a calculator), parentheses, the
constants ``pi``, ``e``, ``tau``, and a few functions of :mod:`math`. Any other node
(a name, an attribute, a subscript, a call of anything else, a comparison, a string, a
lambda...) is refused before anything runs, so nothing outside arithmetic is reachable.
Sizes are bounded so that no expression can take long or use much memory: its length,
every integer's size (checked before a power or a product is computed) and the
factorial's argument.

No dependency: the whole evaluator is this file, read in one sitting. (simpleeval
would do the same with a larger surface: names, attributes and comprehensions are
opt-out there, opt-in here.)
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

MAX_EXPRESSION_CHARS = 500  # also bounds the work of parsing and evaluating it
# The largest integer a step may make: about 3,000 digits (shown whole in a result).
MAX_INT_BITS = 10_000
MAX_FACTORIAL = 1000

Number = int | float


class CalculatorError(ValueError):
    """The expression is not one the calculator takes, or cannot be computed; the
    message says why, for the model that asked."""


def _factorial(n: Number) -> int:
    if not float(n).is_integer() or n < 0:
        raise CalculatorError("factorial takes a whole number from 0 up")
    if n > MAX_FACTORIAL:
        raise CalculatorError(f"factorial takes at most {MAX_FACTORIAL}")
    return math.factorial(int(n))


def _log(x: Number, base: Number | None = None) -> float:
    return math.log(x) if base is None else math.log(x, base)


FUNCTIONS: dict[str, Callable[..., Number]] = {
    "sqrt": math.sqrt, "cbrt": math.cbrt, "exp": math.exp, "log": _log, "ln": math.log, "log10": math.log10,
    "log2": math.log2, "sin": math.sin, "cos": math.cos, "tan": math.tan, "asin": math.asin, "acos": math.acos,
    "atan": math.atan, "atan2": math.atan2, "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh,
    "degrees": math.degrees, "radians": math.radians, "hypot": math.hypot, "abs": abs, "round": round,
    "floor": math.floor, "ceil": math.ceil, "trunc": math.trunc, "factorial": _factorial, "gcd": math.gcd,
    "lcm": math.lcm, "min": min, "max": max,
}
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e, "tau": math.tau}
MAX_ARGUMENTS = 10


def _check_size(value: Number) -> Number:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise CalculatorError("the result is too large")
    if isinstance(value, float) and not math.isfinite(value):
        raise CalculatorError("the result is not a finite number")
    return value


def _power(base: Number, exponent: Number) -> Number:
    """``base ** exponent``, refused before it is computed when the result would be huge."""
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        if (abs(base).bit_length() - 1) * exponent > MAX_INT_BITS:
            raise CalculatorError("the result is too large")
    result = operator.pow(base, exponent)
    if isinstance(result, complex):
        raise CalculatorError("the result is not a real number")
    return result


def _multiply(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int) and a.bit_length() + b.bit_length() > MAX_INT_BITS + 1:
        raise CalculatorError("the result is too large")
    return a * b


BINARY: dict[type, Callable[[Any, Any], Number]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: _multiply, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: _power, ast.BitXor: _power,
}
UNARY: dict[type, Callable[[Any], Number]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}


ALLOWED = (f"only numbers, + - * / // % ** ^, parentheses, {', '.join(CONSTANTS)} and the functions "
           f"{', '.join(FUNCTIONS)} are allowed")


def _refuse(node: ast.AST) -> CalculatorError:
    if isinstance(node, ast.Name):
        return CalculatorError(f"unknown name {node.id!r}: {ALLOWED}")
    return CalculatorError(f"{type(node).__name__} is not allowed: {ALLOWED}")


def _call(node: ast.Call) -> Number:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
        raise _refuse(node.func if not node.keywords else node)
    if len(node.args) > MAX_ARGUMENTS:
        raise CalculatorError(f"at most {MAX_ARGUMENTS} arguments")
    args = [_evaluate(arg) for arg in node.args]
    try:
        return FUNCTIONS[node.func.id](*args)
    except TypeError:
        raise CalculatorError(f"{node.func.id}() cannot take these {len(args)} argument(s)") from None


def _evaluate(node: ast.AST) -> Number:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.Name) and node.id in CONSTANTS:
        return CONSTANTS[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        return _check_size(BINARY[type(node.op)](_evaluate(node.left), _evaluate(node.right)))
    if isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
        return UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.Call):
        return _check_size(_call(node))
    raise _refuse(node)


def evaluate(expression: str) -> Number:
    """The value of ``expression``; CalculatorError says why there is none."""
    if not isinstance(expression, str) or not expression.strip():
        raise CalculatorError("give an arithmetic expression, such as (2 + 3) * 4")
    if len(expression) > MAX_EXPRESSION_CHARS:
        raise CalculatorError(f"the expression is longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise CalculatorError("that is not an arithmetic expression") from None
    try:
        return _evaluate(tree.body)
    except ZeroDivisionError:
        raise CalculatorError("division by zero") from None
    except OverflowError:
        raise CalculatorError("the result is too large") from None
    except RecursionError:
        raise CalculatorError("the expression is nested too deeply") from None
    except (ValueError, TypeError) as exc:  # math domain errors (sqrt(-1), log(0)) and the like
        if isinstance(exc, CalculatorError):
            raise
        raise CalculatorError(f"cannot compute it: {exc}") from None


def format_number(value: Number) -> str:
    """A result as a person reads it: integers whole, floats to 15 significant digits."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".15g")


def calculate(expression: str) -> str:
    """``expression``'s value as text (raises CalculatorError)."""
    return format_number(evaluate(expression))
