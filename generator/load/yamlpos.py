"""Read YAML into plain Python data while remembering where every value was.

PyYAML's C parser builds the node graph; we convert nodes ourselves so that we
can (a) record the line of every field path, for error messages, (b) reject
duplicate keys, which PyYAML silently collapses, (c) refuse alias bombs
and recursive aliases before they expand, and (d) in spec files, refuse numbers
YAML 1.1 would silently rewrite (``017`` -> 15, ``1:30`` -> 90).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast

import yaml

from ..errors import FieldPath, GitopsGenError, dotted

# An alias may point at a large subtree; past this many nodes once expanded, and
# only when aliases multiplied the document tenfold, we call it a bomb.
_MAX_VISITS = 200_000
# Specs nest a handful of levels. Deeper input is refused before it hurts: the
# converter below recurses once per level (Python's stack allows about 300), and
# libyaml's composer recurses in C, where some 30000 levels crash the process.
MAX_DEPTH = 100
_MAX_TEXT_DEPTH = 1000
_OPEN_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NULL_TEXTS = frozenset({"", "~", "null", "Null", "NULL"})
_TAG_NAMES = {_INT_TAG: "!!int", _FLOAT_TAG: "!!float", _BOOL_TAG: "!!bool", _NULL_TAG: "!!null"}
_constructor = yaml.constructor.SafeConstructor()


class _Loader(yaml.CSafeLoader):
    """libyaml's parser with PyYAML's safe resolver, as ``yaml.CSafeLoader``, but quicker on a big tree.

    The C parser asks the (Python) resolver for the tag of every node: a fleet's files repeat the same keys and
    values thousands of times, so a short scalar's tag is looked up once per distinct text, kind and style. And
    it calls the path-resolver hooks for every node, which the safe loader, having no path resolvers, never
    needs. Together a fifth of composing the 9,000-release benchmark's specs."""

    def resolve(self, kind: type, value: str | None, implicit: Any) -> str:
        if value is None or len(value) <= 64:  # a mapping or sequence (None), or text worth remembering
            return _resolved_tag(kind, value, implicit)
        return super().resolve(kind, value, implicit)

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_RESOLVER = yaml.resolver.Resolver()
assert not _RESOLVER.yaml_path_resolvers  # what makes a tag depend on the node's text alone


@lru_cache(maxsize=8192)
def _resolved_tag(kind: type, value: str | None, implicit: Any) -> str:
    return _RESOLVER.resolve(kind, value, implicit)


class InputMeter:
    """Bytes of spec YAML one command has read, counted after alias expansion, against one budget.

    A byte budget, not only a node count: one anchored 1 MB string aliased a
    few thousand times is few nodes but gigabytes once the releases repeat it.
    """

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0

    def spend(self, amount: int, file: str, line: int, field: str) -> None:
        self.used += amount
        if self.used > self.limit:
            raise GitopsGenError.at(
                file, line, field,
                f"the spec files come to more than {_size_text(self.limit)} once YAML aliases are expanded "
                "(the input-bytes budget); refusing. If that is expected, raise the budget: "
                "--limit input-bytes=SIZE or GITOPS_GEN_LIMIT_INPUT_BYTES=SIZE (e.g. 256Mi)")


def _size_text(size: int) -> str:
    mib = 1024 * 1024
    return f"{size // mib} MiB" if size % mib == 0 else f"{size} bytes"


@dataclass
class YamlDocument:
    """One YAML document of a file: its data and the line of every field path."""

    file: str  # relative to the source tree, for messages
    line: int  # first line of the document
    data: Any
    lines: dict[FieldPath, int] = field(default_factory=dict)

    def line_of(self, path: FieldPath) -> int:
        """Line of the deepest prefix of ``path`` that exists in this document."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line:
                return line
        return self.line


def load_documents(text: str, file: str, meter: InputMeter | None = None,
                   exact_numbers: bool = False) -> list[YamlDocument]:
    """Parse every document of ``text`` (already decoded), keeping positions.

    ``meter``: charged what aliases add to the text once expanded, before they
    are. ``exact_numbers``: refuse plain numbers YAML 1.1 reads as another value
    than the one written (spec files; rendered templates may mean ``0644``).
    """
    try:
        check_text_depth(text, file)
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or exc.context or "invalid YAML"
        if mark and _char_at(text, mark.line, mark.column) == "\t":
            problem += " (a tab: YAML indentation must use spaces)"
        raise GitopsGenError.at(file, line, "", f"YAML syntax error: {problem}") from None
    except yaml.reader.ReaderError as exc:  # characters YAML forbids (control characters, ...)
        raise GitopsGenError.at(file, _line_of_character(text, exc.character), "",
                                f"YAML error: character {_character_name(exc.character)}: {exc.reason}") from None
    except yaml.YAMLError as exc:
        raise GitopsGenError.at(file, 0, "", f"YAML error: {str(exc).splitlines()[0]}") from None
    documents = []
    for node in nodes:
        if node is None:
            continue
        doc = YamlDocument(file=file, line=node.start_mark.line + 1, data=None)
        if "*" in text:  # no alias, no bomb
            _refuse_alias_bombs(node, file, meter)
        doc.data = _Converter(doc, exact_numbers).convert(node, ())
        if doc.data is not None:  # an empty document (only comments) is skipped
            documents.append(doc)
    return documents


def check_text_depth(text: str, file: str) -> None:
    """Refuse text nested deeper than the composer can take, using the (non-recursive) event parser."""
    # Each nesting level costs an opening bracket or at least half a column of
    # indentation, so most files cannot be deep at all and skip the scan.
    lines = text.splitlines()
    longest = max(map(len, lines), default=0)
    if 2 * longest + _flow_depth_bound(lines) <= _MAX_TEXT_DEPTH:
        return
    depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, _OPEN_EVENTS):
            depth += 1
            if depth > _MAX_TEXT_DEPTH:
                raise GitopsGenError.at(file, event.start_mark.line + 1 if event.start_mark else 0, "",
                                        f"nested more than {_MAX_TEXT_DEPTH} levels deep; refusing")
        elif isinstance(event, _CLOSE_EVENTS):
            depth -= 1


_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_depth_bound(lines: list[str]) -> int:
    """At least the deepest nesting of flow collections (`[...]`, `{...}`) in these lines.

    A line whose brackets open and close within it, in order, and that has no
    quote and no `#`, leaves the depth as it found it: in a flow collection its
    brackets are all real (a plain scalar there cannot hold one) and balanced;
    anywhere else (block context, a quoted scalar begun on an earlier line) some
    may be text, which can only make the bound larger. So the deepest such line
    counts once, and every other line counts all of its openers. An environment
    listing a thousand `name: {replicas: {min: 1}}` is as shallow as it looks.
    """
    openers = deepest = 0
    for line in lines:
        if "[" not in line and "{" not in line:
            continue  # closers alone never deepen it
        if '"' in line or "'" in line or "#" in line:
            openers += line.count("[") + line.count("{")
            continue
        depth = line_deepest = 0
        for bracket in _BRACKETS.findall(line):
            depth += 1 if bracket in "[{" else -1
            if depth < 0:
                break
            line_deepest = max(line_deepest, depth)
        if depth == 0:
            deepest = max(deepest, line_deepest)
        else:  # closes what an earlier line opened, or opens what a later one closes
            openers += line.count("[") + line.count("{")
    return openers + deepest


def _expanded_sizes(root: yaml.Node) -> tuple[dict[int, tuple[int, int]], int]:
    """What each node of ``root`` stands for once aliases are expanded, without expanding them.

    Returns ``{id(node): (nodes, bytes)}`` and the bytes of the distinct nodes
    (the document as written, aliases unexpanded). A scalar's bytes are its
    UTF-8 length plus one (an empty string still costs something once repeated).
    A node referenced by many aliases is counted once per reference but walked
    once, so a billion-laughs document is measured in microseconds. A node
    inside its own alias (recursion) counts 0 here; the converter reports it.
    """
    sizes: dict[int, tuple[int, int]] = {}
    distinct_bytes = 0
    pending: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            value = node.value
            own = 1 + (len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass")))
            sizes[id(node)] = (1, own)
            distinct_bytes += own
            continue
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        if not children_done:
            if id(node) not in pending:
                pending.add(id(node))
                stack.append((node, True))
                stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        pending.discard(id(node))
        count = size = 1
        for child in children:
            child_count, child_size = sizes.get(id(child), (0, 0))
            count += child_count
            size += child_size
        sizes[id(node)] = (count, size)
        distinct_bytes += 1
    return sizes, distinct_bytes


def _refuse_alias_bombs(root: yaml.Node, file: str, meter: InputMeter | None = None) -> None:
    sizes, distinct_bytes = _expanded_sizes(root)
    nodes, expanded_bytes = sizes[id(root)]
    if nodes > max(_MAX_VISITS, 10 * len(sizes)):
        where, field = _first_field_past(root, sizes, 0, _MAX_VISITS)
        raise GitopsGenError.at(file, where.start_mark.line + 1, field,
                                "YAML aliases expand too far (alias bomb?); refusing")
    if meter is None:
        return
    # The text itself was charged when the file was read: charge what aliases add.
    added = max(0, expanded_bytes - distinct_bytes)
    where, field = root, ""
    if meter.used + added > meter.limit:
        where, field = _first_field_past(root, sizes, 1, meter.limit - meter.used)
    meter.spend(added, file, where.start_mark.line + 1, field)


def _first_field_past(root: yaml.Node, sizes: dict[int, tuple[int, int]], measure: int,
                      limit: int) -> tuple[yaml.Node, str]:
    """The first top-level field at which the expanded document passes ``limit`` (nodes or bytes).

    The path deep inside means nothing to a user; the field holding the aliases does.
    """
    if isinstance(root, yaml.MappingNode):
        total = 0
        for key, value in root.value:
            total += sizes[id(key)][measure] + sizes[id(value)][measure]
            if total > limit:
                return key, str(key.value)
    return root, ""


def _line_of_character(text: str, character: int | str) -> int:
    # The reader stops at the first forbidden character, so its first
    # occurrence is the one; its reported position counts bytes, not characters.
    char = chr(character) if isinstance(character, int) else character
    index = text.find(char)
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


def _character_name(character: int | str) -> str:
    code = character if isinstance(character, int) else ord(character)
    return f"U+{code:04X}"


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


class _Converter:
    def __init__(self, doc: YamlDocument, exact_numbers: bool = False):
        self.doc = doc
        self.exact_numbers = exact_numbers
        self.active: set[int] = set()  # nodes on the current path: recursion guard
        self.depth = 0  # not len(path): '<<' merges nest without a longer path

    def _fail(self, node: yaml.Node, path: FieldPath, message: str) -> GitopsGenError:
        return GitopsGenError.at(
            self.doc.file, node.start_mark.line + 1, dotted(path), message
        )

    def convert(self, node: yaml.Node, path: FieldPath) -> Any:
        self.doc.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.active:
            raise self._fail(node, path, "recursive YAML alias")
        if self.depth >= MAX_DEPTH:
            raise self._fail(node, path[:1], f"nested more than {MAX_DEPTH} levels deep; refusing")
        self.active.add(id(node))
        self.depth += 1
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
            return self._mapping(cast(yaml.MappingNode, node), path)  # the one kind left
        finally:
            self.active.discard(id(node))
            self.depth -= 1

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict:
        out: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    value = self.convert(source, path)
                    if not isinstance(value, dict):
                        raise self._fail(source, path, "'<<' merge needs a mapping")
                    for k, v in value.items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail(key_node, path, "mapping keys must be plain strings")
            key = key_node.value
            if key in out:
                raise self._fail(key_node, (*path, key), "duplicate key")
            self.doc.lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = self.convert(value_node, (*path, key))
        for k, v in merged.items():
            out.setdefault(k, v)
        return out

    def _scalar(self, node: yaml.ScalarNode, path: FieldPath) -> Any:
        tag = node.tag
        if tag == _STR_TAG:
            return node.value
        if tag in _TAG_NAMES:
            value = self._typed(node, path)
            # Plain only (libyaml's style is "", PyYAML's None): `!!int "017"` says what it means.
            if self.exact_numbers and not node.style and tag in (_INT_TAG, _FLOAT_TAG):
                self._refuse_rewritten_number(node, path, value)
            return value
        # Timestamps, binary and custom tags: keep the text as written, so a
        # version like 2024-05-01 stays the string the user typed.
        return node.value

    def _typed(self, node: yaml.ScalarNode, path: FieldPath) -> Any:
        tag, text = node.tag, node.value
        if tag == _NULL_TAG:
            if text not in _NULL_TEXTS:  # `!!null x` would silently drop the x
                raise self._fail(node, path, f"{text[:60]!r} is not a valid !!null value")
            return None
        if not text.isascii():  # int() and float() would read other scripts' digits: `!!int ١٢` is 12
            raise self._fail(node, path, f"{text[:60]!r} is not a valid {_TAG_NAMES[tag]} value")
        try:
            if tag == _INT_TAG:
                return _constructor.construct_yaml_int(node)
            if tag == _FLOAT_TAG:
                return _constructor.construct_yaml_float(node)
            return _constructor.construct_yaml_bool(node)
        # An explicit tag on text that is not of its kind (`!!bool maybe`, `!!int ""`)
        # makes PyYAML's constructors fail in ways of their own (KeyError, IndexError).
        except (ValueError, KeyError, IndexError, yaml.YAMLError):
            raise self._fail(node, path, f"{text[:60]!r} is not a valid {_TAG_NAMES[tag]} value") from None

    def _refuse_rewritten_number(self, node: yaml.ScalarNode, path: FieldPath, value: Any) -> None:
        """Refuse a plain number that YAML 1.1 reads as another value than the text: a version
        ``017`` would become 15 and ``1:30`` 90, and YAML 1.2 tools read them differently again."""
        text = node.value
        if isinstance(value, int):
            if str(value) == text:
                return
            meaning = f"the number {value}"
        elif "_" in text or ":" in text:  # 1_0.5 -> 10.5, 1:30.5 -> 5430.5; other floats keep their value
            meaning = f"the number {value!r}"
        else:
            return
        raise self._fail(node, path, f"YAML reads {text[:40]} as {meaning}: quote it (\"{text[:40]}\") if you "
                                     f"mean the text, as for a version, or write {value!r}")

