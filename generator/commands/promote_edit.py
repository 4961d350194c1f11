"""Edit users' spec files the way a careful person would: change one value, keep everything else.

``gitops-gen promote`` moves a version by editing the Environment file in
place. The edit goes through ruamel.yaml's round-trip mode (comments, key
order, quoting and flow style survive), in the indentation style that best
reproduces the file; only the lines ruamel changed are carried over into the
original text, so whatever ruamel would have normalised elsewhere stays as the
user wrote it. The result is checked twice before anyone writes it: the data
must be the old data with exactly that version changed, and the text may differ
only in the lines that carry the version. Anything else is refused, so a
promotion never reformats a file behind a reviewer's back.
"""
from __future__ import annotations

import difflib
import io
from dataclasses import dataclass

from ..errors import GitopsGenError
from ..load.yamlpos import load_documents

# (mapping indent, sequence dash offset); tried in this order to find the style a file uses.
_INDENT_STYLES = [(2, 2), (2, 0), (4, 2), (4, 0), (4, 4), (2, 4), (3, 0), (3, 2)]


@dataclass(frozen=True)
class VersionEdit:
    """The outcome of pinning a model's version in one Environment document."""

    old_text: str
    new_text: str
    previous: str | None  # the version written there before, if any


def _yaml(mapping: int, offset: int):
    from ruamel.yaml import YAML

    y = YAML()  # round-trip
    y.preserve_quotes = True
    y.width = 1 << 16  # never fold a long line
    y.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    return y


def _dump(y, docs, explicit_start: bool) -> str:
    y.explicit_start = explicit_start
    out = io.StringIO()
    y.dump_all(docs, out)
    return out.getvalue()


def _round_trip(text: str, file: str):
    """(yaml, documents, explicit_start, dump) in the indentation style that best reproduces ``text``."""
    from ruamel.yaml.error import YAMLError

    explicit_start = text.lstrip().startswith("---")
    best = None
    for mapping, offset in _INDENT_STYLES:
        y = _yaml(mapping, offset)
        try:
            docs = list(y.load_all(text))
        except YAMLError as exc:
            raise GitopsGenError.at(file, 0, "", f"cannot parse for editing: {str(exc).splitlines()[0]}") from None
        dumped = _dump(y, docs, explicit_start)
        if dumped == text:
            return y, docs, explicit_start, dumped
        differing = _differing_lines(text, dumped)
        if best is None or differing < best[0]:
            best = (differing, (y, docs, explicit_start, dumped))
    assert best is not None  # _INDENT_STYLES is not empty
    return best[1]


def _differing_lines(a: str, b: str) -> int:
    matcher = difflib.SequenceMatcher(a=a.splitlines(), b=b.splitlines(), autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def _transplant(original: str, before: str, after: str, file: str) -> str:
    """Apply the change ruamel made (``before`` -> ``after``, both its own dumps) to the original text.

    ruamel's dump of a file may differ from the file in places far from the
    version (e.g. `[{name: c}]` comes back as `[name: c]`); carrying over only
    the changed lines leaves all of those exactly as the user wrote them.
    """
    orig, base, edited = original.splitlines(True), before.splitlines(True), after.splitlines(True)
    position: dict[int, int] = {}  # line of ruamel's dump -> the same line in the original
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(a=base, b=orig, autojunk=False).get_opcodes():
        if tag == "equal":
            position.update((i1 + k, j1 + k) for k in range(i2 - i1))
    refuse = GitopsGenError.at(file, 0, "", "the lines around this version are laid out in a way the editor cannot "
                                            "reproduce; set the version by hand")
    out = list(orig)
    changes = [op for op in difflib.SequenceMatcher(a=base, b=edited, autojunk=False).get_opcodes() if op[0] != "equal"]
    for _, i1, i2, j1, j2 in reversed(changes):  # from the end, so earlier positions stay valid
        if i1 < i2:
            where = [position[k] for k in range(i1, i2) if k in position]
            if len(where) != i2 - i1 or where != list(range(where[0], where[0] + len(where))):
                raise refuse
            start, end = where[0], where[-1] + 1
        elif i1 - 1 in position:
            start = end = position[i1 - 1] + 1
        elif i1 in position:
            start = end = position[i1]
        else:
            raise refuse
        out[start:end] = edited[j1:j2]
    return "".join(out)


def _quoted_like(previous, value: str):
    """``value`` as a YAML scalar in the quoting style of ``previous`` (double quotes for a new entry)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if isinstance(previous, SingleQuotedScalarString):
        return SingleQuotedScalarString(value)
    if isinstance(previous, str) and not isinstance(previous, DoubleQuotedScalarString):
        # Plain before: ruamel quotes by itself when plain text would not read back as this string (e.g. 1.10).
        return value
    return DoubleQuotedScalarString(value)


def set_model_version(text: str, file: str, environment: str, model: str, version: str) -> VersionEdit:
    """Pin ``spec.models.<model>.version`` of Environment ``environment`` in ``text`` to ``version``."""
    from ruamel.yaml.comments import CommentedMap

    y, docs, explicit_start, before = _round_trip(text, file)
    matches = [i for i, d in enumerate(docs) if isinstance(d, dict) and d.get("kind") == "Environment"
               and isinstance(d.get("metadata"), dict) and d["metadata"].get("name") == environment]
    if len(matches) != 1:
        raise GitopsGenError.at(file, 0, "", f"expected one Environment {environment!r} here, found {len(matches)}")
    index = matches[0]
    models = docs[index]["spec"]["models"]
    where = f"spec.models.{model}"
    entry = models.get(model) if model in models else None
    previous = None
    if model not in models:
        models[model] = CommentedMap([("version", _quoted_like(None, version))])
    elif entry is None:
        # `model:` with an empty value: give it a block mapping under the key.
        models[model] = CommentedMap([("version", _quoted_like(None, version))])
    elif isinstance(entry, CommentedMap):
        if getattr(entry, "anchor", None) is not None and entry.anchor.value:
            raise GitopsGenError.at(file, 0, where,
                                    "is a YAML anchor shared with other entries; set the version by hand")
        previous = entry.get("version")
        if not entry and entry.fa.flow_style() is None:
            entry.fa.set_flow_style()  # `model: {}` stays on its line: `model: {version: "1.5.0"}`
        if "version" in entry:
            entry["version"] = _quoted_like(previous, version)
        else:
            # First key, so a flow mapping reads `{version: "1.5.0", ...}` and a block one starts with it.
            entry.insert(0, "version", _quoted_like(None, version))
    else:
        raise GitopsGenError.at(file, 0, where, "must be a mapping to pin a version in it")
    new_text = _transplant(text, before, _dump(y, docs, explicit_start), file)
    _check_only_version_changed(text, new_text, file, index, model, version)
    return VersionEdit(old_text=text, new_text=new_text, previous=None if previous is None else str(previous))


def _check_only_version_changed(old: str, new: str, file: str, index: int, model: str, version: str) -> None:
    """Refuse an edit that changes more than the model's version, in data or in text."""
    before = [d.data for d in load_documents(old, file)]
    after = [d.data for d in load_documents(new, file)]
    entry = dict(before[index]["spec"]["models"].get(model) or {})
    entry["version"] = version
    before[index]["spec"]["models"][model] = entry
    if before != after:
        raise GitopsGenError.at(file, 0, "", "editing the version would change other values; set it by hand")
    removed, added = [], []
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes():
        if tag != "equal":
            removed.extend(old_lines[i1:i2])
            added.extend(new_lines[j1:j2])
    # Updating: one line replaced. A new pin: one line rewritten (flow style) or at most two added.
    touches_version = any("version" in line for line in added)
    if len(removed) > 1 or len(added) > 2 or not touches_version:
        raise GitopsGenError.at(file, 0, "", "editing the version would reformat other lines; set it by hand")
