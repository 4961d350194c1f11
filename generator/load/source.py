"""Load: read a source tree into typed, located spec documents.

Every ``*.yaml``/``*.yml`` file below the source tree is read (hidden entries
and the top-level ``templates/`` and ``components/`` folders excepted). Each
document is validated into its kind's pydantic model; every problem, from YAML
syntax to an unknown field, becomes one ``FILE:LINE: field: message`` line.
All spec files of one command together are bounded in bytes, counted after
YAML alias expansion (``budgets.current().input_bytes``).
"""
from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .. import budgets
from ..digest import add_file, new_digest
from ..errors import FieldPath, GitopsGenError, Problem, dotted, files_relative_to, raise_if, shown_path
from . import terraform
from .spec import (
    API_VERSION,
    DOCUMENT_TYPES,
    KINDS,
    EnvironmentDocument,
    ModelDocument,
    ProjectDocument,
    SpecProblem,
    environment_problems,
    field_names_at,
    project_problems,
)
from .yamlpos import InputMeter, YamlDocument, load_documents

EXTENSION_DIRS = ("templates", "components")
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_EXTENSION_FILES = 1000


# Which kind a Located holds: Located[EnvironmentDocument].doc.spec is an EnvironmentSpec.
DocumentT = TypeVar("DocumentT", ProjectDocument, EnvironmentDocument, ModelDocument)


@dataclass(frozen=True)
class Located(Generic[DocumentT]):
    """A validated spec document and where it came from."""

    doc: DocumentT
    source: YamlDocument

    @property
    def name(self) -> str:
        return self.doc.metadata.name

    @property
    def file(self) -> str:
        return self.source.file

    def problem(self, path: FieldPath, message: str) -> Problem:
        return Problem(self.file, self.source.line_of(path), dotted(path), message)


@dataclass(frozen=True)
class ClusterOrigin:
    """Where a cluster read from a Terraform output file (``spec.clustersFrom``) is written:
    that file, and the cluster's path in it."""

    source: YamlDocument
    path: tuple

    @property
    def file(self) -> str:
        return self.source.file

    def line_of(self, path: tuple = ()) -> int:
        return self.source.line_of((*self.path, *path))

    def problem(self, path: tuple, message: str) -> Problem:
        return Problem(self.file, self.line_of(path), dotted((*self.path, *path)), message)


@dataclass(frozen=True)
class SourceTree:
    """Everything read from a source tree: exactly one Project, the Environments and Models by name."""

    root: Path
    project: Located[ProjectDocument]
    environments: dict[str, Located[EnvironmentDocument]]
    models: dict[str, Located[ModelDocument]]
    # Text of every file under templates/ and components/, by path relative to the
    # tree: the builders render them, but never read files themselves.
    extension_files: dict[str, str] = field(default_factory=dict)
    # sha256 of every file read (path and text): what the output is a function of (generator.emit.record).
    digest: str = ""
    # Clusters read from Terraform output files (spec.clustersFrom): environment -> cluster -> that file.
    cluster_files: dict[str, dict[str, str]] = field(default_factory=dict)
    # The same clusters, where each is written in its file: environment -> cluster -> origin.
    cluster_origins: dict[str, dict[str, ClusterOrigin]] = field(default_factory=dict)


def spec_files(root: Path) -> list[Path]:
    """The spec files of a source tree, sorted so that disk order never matters."""
    if not root.is_dir():
        raise GitopsGenError(f"{root}: source tree not found (use --source DIR)")
    real_root = root.resolve()
    found = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=_unreadable_folder(root)):
        rel_dir = Path(dirpath).relative_to(root)
        dirnames[:] = [
            d for d in dirnames
            if not d.startswith(".") and not (rel_dir == Path(".") and d in EXTENSION_DIRS)
        ]
        for name in filenames:
            if name.startswith("."):
                continue
            if not name.endswith((".yaml", ".yml")):
                if name.lower().endswith((".yaml", ".yml")):
                    # Ignoring it would drop its specs without a word; reading it would make the
                    # set of spec files depend on case rules that differ between file systems.
                    rel = _shown((rel_dir / name).as_posix())
                    raise GitopsGenError.at(rel, 0, "", "spec files must end in lower-case .yaml or .yml; "
                                                        "rename it (or it is not read)")
                continue
            found.append(Path(dirpath, name))
        for d in list(dirnames):  # symlinked folders: refuse any that leave the tree
            if Path(dirpath, d).is_symlink():
                _inside(Path(dirpath, d), real_root, root)
                dirnames.remove(d)
    found.sort(key=lambda p: p.relative_to(root).as_posix())
    for path in found:
        _utf8_name(path.relative_to(root).as_posix())
        _inside(path, real_root, root)
    return found


def _unreadable_folder(root: Path):
    def unreadable(exc: OSError):  # os.walk would skip the folder, and the files in it, silently
        rel = Path(exc.filename).relative_to(root).as_posix() if exc.filename else root.as_posix()
        raise GitopsGenError.at(_shown(rel), 0, "", f"cannot read this folder: {exc.strerror}")
    return unreadable


def _utf8_name(rel: str) -> None:
    """Refuse a path that is not valid UTF-8: it could not be named in messages, records or the output."""
    if not rel.isascii():
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:  # os.walk hands undecodable bytes over as lone surrogates
            raise GitopsGenError.at(_shown(rel), 0, "", "the file or folder name is not valid UTF-8; rename it") from None


def _shown(rel: str) -> str:
    """A path as it can be printed: bytes that are not UTF-8 as \\xNN escapes."""
    if rel.isascii():
        return rel
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def extension_files(root: Path) -> dict[str, str]:
    """Every file under the tree's templates/ and components/, read now so later stages never touch disk.

    Symlinked files are read only when they point inside the source tree;
    symlinked folders are skipped (as for spec files), after the same check.
    """
    real_root = root.resolve()
    found: list[Path] = []
    for top in EXTENSION_DIRS:
        base = root / top
        if base.is_symlink():
            _inside(base, real_root, root)
        if not base.is_dir():
            continue
        # An unreadable folder would otherwise surface much later as "pdb.yaml.j2 not found".
        for dirpath, dirnames, filenames in os.walk(base, onerror=_unreadable_folder(root)):
            for d in list(dirnames):
                if Path(dirpath, d).is_symlink():
                    _inside(Path(dirpath, d), real_root, root)
                if d.startswith(".") or Path(dirpath, d).is_symlink():
                    dirnames.remove(d)
            found.extend(Path(dirpath, name) for name in filenames if not name.startswith("."))
            if len(found) > MAX_EXTENSION_FILES:
                raise GitopsGenError.at(top, 0, "", f"holds more than {MAX_EXTENSION_FILES} files (the limit)")
    texts = {}
    problems: list[Problem] = []
    for path in sorted(found):
        rel = path.relative_to(root).as_posix()
        try:
            _utf8_name(rel)
            _inside(path, real_root, root)
            texts[rel] = read_text(path, rel)
        except GitopsGenError as exc:
            problems.extend(exc.problems)
    raise_if(problems)
    return dict(sorted(texts.items()))


def _inside(path: Path, real_root: Path, root: Path) -> None:
    rel = _shown(path.relative_to(root).as_posix())
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        raise GitopsGenError.at(rel, 0, "", "is a symlink loop; refusing to read it") from None
    if not real.is_relative_to(real_root):
        raise GitopsGenError.at(rel, 0, "", "is a symlink that points outside the source tree; refusing to read it")


def read_text(path: Path, rel: str) -> str:
    """A file's text: size-capped and strictly UTF-8, with a located error otherwise."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise GitopsGenError.at(rel, 0, "", "is not a regular file; refusing to read it")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise GitopsGenError.at(rel, 0, "", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
        data = path.read_bytes()
    except OSError as exc:
        raise GitopsGenError.at(rel, 0, "", f"cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GitopsGenError.at(rel, line, "", f"not valid UTF-8 (byte 0x{data[exc.start]:02x})") from None


def load_tree(root: str | os.PathLike) -> SourceTree:
    """Read and validate every spec document below ``root``."""
    root = Path(root)
    files_relative_to(root)  # every Problem from here on names a file of this tree
    problems: list[Problem] = []
    located: list[Located[Any]] = []
    digest = new_digest()
    meter = InputMeter(budgets.current().input_bytes)
    for path in spec_files(root):
        rel = path.relative_to(root).as_posix()
        try:
            text = read_text(path, rel)
            data = text.encode()
            add_file(digest, rel, data)
            meter.spend(len(data), rel, 0, "")
            documents = load_documents(text, rel, meter, exact_numbers=True)
        except GitopsGenError as exc:
            if meter.used > meter.limit:  # stop at once: reading on is what the budget prevents
                raise
            problems.extend(exc.problems)
            continue
        for source in documents:
            try:
                located.append(_validate(source))
            except GitopsGenError as exc:
                problems.extend(exc.problems)
    raise_if(problems)
    located, cluster_origins = _with_terraform_clusters(root, located, digest, meter)
    files = extension_files(root)
    for rel, text in files.items():
        add_file(digest, rel, text.encode())
    return _assemble(root, located, files, digest.hexdigest(), cluster_origins)


def _with_terraform_clusters(root: Path, located: list[Located], digest,
                             meter: InputMeter) -> tuple[list[Located], dict[str, dict[str, ClusterOrigin]]]:
    """Environments with ``clustersFrom`` get the clusters of their Terraform output appended.

    Each output file is read once, like a spec file (inside the tree, size-capped,
    UTF-8, charged to the input-bytes budget) and counted in the tree's digest, so
    the render record and `render --check` see a changed output as a changed input.
    """
    if not any(item.doc.kind == "Environment" and item.doc.spec.clustersFrom for item in located):
        return located, {}
    real_root = root.resolve()
    outputs: dict[str, YamlDocument | GitopsGenError] = {}
    problems: list[Problem] = []
    cluster_origins: dict[str, dict[str, ClusterOrigin]] = {}
    result = []
    for item in located:
        source = item.doc.spec.clustersFrom if item.doc.kind == "Environment" else None
        if source is None:
            result.append(item)
            continue
        rel = source.terraformOutput
        if rel not in outputs:
            outputs[rel] = _read_output(root, real_root, rel, item, digest, meter)
        try:
            doc = outputs[rel]
            if isinstance(doc, GitopsGenError):
                raise doc
            clusters = terraform.clusters_from(doc, source.output)
        except GitopsGenError as exc:
            problems.extend(exc.problems)
            continue
        spec = item.doc.spec
        by_hand = {c.name for c in spec.clusters}
        for cluster, path in clusters:
            if cluster.name in by_hand:
                problems.append(Problem(rel, doc.line_of((*path, "name")), dotted((*path, "name")),
                                        f"cluster {cluster.name!r} is also written in {shown_path(item.file)}; "
                                        "list each cluster once"))
        cluster_origins[item.name] = {c.name: ClusterOrigin(doc, path) for c, path in clusters}
        merged = spec.model_copy(update={"clusters": [*spec.clusters, *(c for c, _ in clusters)]})
        result.append(Located(item.doc.model_copy(update={"spec": merged}), item.source))
    # One problem per file is enough when several environments read the same broken file.
    raise_if(list(dict.fromkeys(problems)))
    return result, cluster_origins


def _read_output(root: Path, real_root: Path, rel: str, env: Located, digest,
                 meter: InputMeter) -> YamlDocument | GitopsGenError:
    path = root / rel
    where = ("spec", "clustersFrom", "terraformOutput")
    if not path.is_file() and not path.is_symlink():
        return GitopsGenError(env.problem(where, f"{rel} not found in the source tree (write it with "
                                                 "`terraform output -json > ...`)"))
    try:
        _inside(path, real_root, root)
        text = read_text(path, rel)
    except GitopsGenError as exc:
        return exc
    data = text.encode()
    add_file(digest, rel, data)
    meter.spend(len(data), rel, 0, "")  # over the budget: stop at once, as for spec files
    try:
        return terraform.read_output(text, rel)
    except GitopsGenError as exc:
        return exc


def _validate(source: YamlDocument) -> Located[Any]:
    data = source.data
    if not isinstance(data, dict):
        raise GitopsGenError.at(source.file, source.line, "",
                                f"a spec document must be a mapping, not {_type_name(data)}")
    if data.get("apiVersion") != API_VERSION:
        got = data.get("apiVersion")
        msg = "missing" if got is None else f"is {shown(got)}"
        raise GitopsGenError(Problem(source.file, source.line_of(("apiVersion",)), "apiVersion",
                                     f"{msg}; every document here must have apiVersion: {API_VERSION}"))
    kind = data.get("kind")
    model = DOCUMENT_TYPES.get(kind) if isinstance(kind, str) else None
    if model is None:
        if kind is None:
            message = f"missing; must be one of {', '.join(KINDS)}"
        else:
            close = difflib.get_close_matches(str(kind), KINDS, n=1)
            message = (f"{shown(kind)} is not one of {', '.join(KINDS)}"
                       + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise GitopsGenError(Problem(source.file, source.line_of(("kind",)), "kind", message))
    try:
        doc: Any = model.model_validate(data)  # the kind's document class (DOCUMENT_TYPES)
    except ValidationError as exc:
        raise GitopsGenError(*pydantic_problems(exc, source, model)) from None
    where = Located(doc, source)
    checks = _CHECKS.get(doc.kind)
    if checks:
        raise_if([where.problem(("spec", *path), msg) for path, msg in checks(doc.spec)])
    return where


# Checks beyond what pydantic validates, by kind (a Model's spec is checked once merged, in resolve).
_CHECKS: dict[str, Callable[[Any], list[SpecProblem]]] = {"Project": project_problems,
                                                         "Environment": environment_problems}


def pydantic_problems(exc: ValidationError, source: YamlDocument, kind: type[BaseModel]) -> list[Problem]:
    """pydantic errors of validating a ``kind`` as located one-line problems (``dotted.path: message``)."""
    problems = []
    for error in exc.errors(include_url=False):
        path = error_path(error)
        problems.append(Problem(source.file, source.line_of(path), dotted(path), pydantic_message(error, kind)))
    return problems


def error_path(error: ErrorDetails) -> FieldPath:
    """The field a pydantic error is about, as the user wrote it."""
    # pydantic adds validator names (function-before[...]) to locations: not fields.
    return tuple(p for p in error["loc"] if isinstance(p, int) or not ("[" in p and "]" in p))


def pydantic_message(error: ErrorDetails, validated: type[BaseModel]) -> str:
    """One pydantic error of validating a ``validated`` as the message of a problem line."""
    kind, loc = error["type"], error["loc"]
    if kind == "extra_forbidden":
        field = str(loc[-1])
        # A field of the kind it was written in: a different case first (repoUrl: repoURL), however close another
        # name looks (repo).
        names = field_names_at(validated, error_path(error)[:-1]) - {field}
        close = sorted(n for n in names if n.lower() == field.lower()) \
            or difflib.get_close_matches(field, names, n=1, cutoff=0.7)
        return "unknown field" + (f" (did you mean {close[0]!r}?)" if close else "")
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        return f"{shown(error['input'])} is not allowed: " + error["msg"].replace("Input should be", "must be")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping, not {_type_name(error['input'])}"
    if kind == "list_type":
        return f"must be a list, not {_type_name(error['input'])}"
    if kind == "too_short":
        return f"must have at least {error['ctx']['min_length']} item(s)"
    msg = error["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return msg.replace("Input should be", "must be").replace("String should", "must")


def shown(value: Any, limit: int = 60) -> str:
    """A value as it appears in a message: its repr, cut short (a message stays one readable line)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_name(value: Any) -> str:
    if value is None:
        return "empty (null)"
    return {str: "a string", int: "a number", float: "a number", bool: "true/false",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def _assemble(root: Path, located: list[Located[Any]], files: dict[str, str], digest: str = "",
              cluster_origins: dict[str, dict[str, ClusterOrigin]] | None = None) -> SourceTree:
    problems: list[Problem] = []
    projects = [item for item in located if item.doc.kind == "Project"]
    by_kind: dict[str, dict[str, Located[Any]]] = {"Environment": {}, "Model": {}}
    for item in located:
        kind = item.doc.kind
        if kind == "Project":
            continue
        seen = by_kind[kind].get(item.name)
        if seen is not None:
            problems.append(item.problem(("metadata", "name"),
                                         f"{kind} {item.name!r} is already defined in {shown_path(seen.file)}:{seen.source.line}"))
            continue
        by_kind[kind][item.name] = item
    if not projects:
        problems.append(Problem(os.path.abspath(root), 0, "", "no Project document found (exactly one is required)"))
    for other in projects[1:]:
        problems.append(other.problem(("kind",), f"a second Project; there must be exactly one "
                                                 f"(the first is in {shown_path(projects[0].file)}:{projects[0].source.line})"))
    raise_if(problems)
    project = projects[0]
    models, environments = by_kind["Model"], by_kind["Environment"]
    for env in environments.values():
        for name in env.doc.spec.models:
            if name not in models:
                problems.append(env.problem(("spec", "models", name), f"model {name!r} has no Model document"))
    for i, name in enumerate(project.doc.spec.promotion):
        if name not in environments:
            problems.append(project.problem(("spec", "promotion", i), f"environment {name!r} is not defined"))
    raise_if(problems)
    return SourceTree(root=root, project=project, environments=environments, models=models, extension_files=files,
                      digest=digest, cluster_origins=cluster_origins or {},
                      cluster_files={env: {name: origin.file for name, origin in clusters.items()}
                                     for env, clusters in (cluster_origins or {}).items()})
