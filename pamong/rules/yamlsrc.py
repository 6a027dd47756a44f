"""Read YAML into plain containers that remember line numbers, refusing the risky parts of YAML.

Anchors/aliases are refused (no "billion laughs"); duplicate keys are refused (PyYAML would silently keep
the last one); scalar values stay strings until a field asks for a typed value.
"""

from __future__ import annotations

import yaml

from pamong.rules.errors import RuleError

# libyaml's parser when PyYAML has it (the wheels do): the same nodes and marks, several times faster.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_CHARS = 256_000
MAX_YAML_DEPTH = 12


class YScalar:
    __slots__ = ("line", "node", "text")

    def __init__(self, node: yaml.ScalarNode) -> None:
        self.node = node
        self.text: str = node.value
        self.line: int = node.start_mark.line + 1

    def typed(self) -> object:
        """The value as YAML types it (int, float, bool, date, str, None)."""
        try:
            return yaml.constructor.SafeConstructor().construct_object(self.node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError):
            return self.text


class YMap(dict):
    """A mapping from key text to YScalar | YMap | YList, with the line of the mapping and of each key."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class YList(list):
    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line


YValue = YScalar | YMap | YList


def load_yaml(text: str, filename: str) -> YValue:
    if len(text) > MAX_FILE_CHARS:
        raise RuleError(
            "file is too large (%(size)s characters; the limit is %(limit)s)",
            file=filename,
            params={"size": len(text), "limit": MAX_FILE_CHARS},
        )
    try:
        root = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        problem = str(
            exc.problem or exc.context
        )  # PyYAML's English; the sandbox names it in the author's words
        raise RuleError(
            "invalid YAML: %(problem)s", file=filename, line=line, params={"problem": problem}
        ) from None
    except yaml.YAMLError as exc:
        raise RuleError("invalid YAML: %(problem)s", file=filename, params={"problem": str(exc)}) from None
    except RecursionError:
        raise RuleError("invalid YAML: nested too deeply", file=filename) from None
    if root is None:
        raise RuleError("file is empty", file=filename)
    return _convert(root, filename, set(), 0)


def _convert(node: yaml.Node, filename: str, seen: set[int], depth: int) -> YValue:
    line = node.start_mark.line + 1
    if id(node) in seen:
        raise RuleError("YAML anchors and aliases (&, *) are not allowed", file=filename, line=line)
    seen.add(id(node))
    if depth > MAX_YAML_DEPTH:
        raise RuleError("YAML is nested too deeply", file=filename, line=line)
    if isinstance(node, yaml.ScalarNode):
        return YScalar(node)
    if isinstance(node, yaml.SequenceNode):
        out = YList(line)
        out.extend(_convert(item, filename, seen, depth + 1) for item in node.value)
        return out
    mapping = YMap(line)
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise RuleError("mapping keys must be plain names", file=filename, line=key_line)
        if id(key_node) in seen:
            raise RuleError("YAML anchors and aliases (&, *) are not allowed", file=filename, line=key_line)
        seen.add(id(key_node))
        key = key_node.value
        if key in mapping:
            raise RuleError("duplicate key '%(key)s'", file=filename, line=key_line, params={"key": key})
        mapping[key] = _convert(value_node, filename, seen, depth + 1)
        mapping.key_lines[key] = key_line
    return mapping
