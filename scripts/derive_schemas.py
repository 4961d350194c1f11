#!/usr/bin/env python3
"""Derive the strict, standalone JSON Schemas in generator/builders/schemas/.

Dev-time only: the generator reads the derived files at run time and never the
upstream material.  Usage:

    python scripts/derive_schemas.py [UPSTREAM_DIR]

UPSTREAM_DIR (default: ../shared/schemas relative to the repository root) holds
the upstream CRD YAML files in the subfolders argocd/, flux/, gateway/ and
serving/.  The core Kubernetes kinds come from the installed
``kubernetes-validate`` package (Kubernetes v1.34.0, "-local-strict" flavour).

Every emitted file is one JSON Schema (draft 2020-12) for one
(apiVersion, kind), written with sorted keys and no whitespace so that reruns
are byte-identical.  The conversion from CRD ``openAPIV3Schema`` is strict the
way ``kubectl --validate=strict`` / the API server's pruning is:

* ``description`` and every ``x-kubernetes-*`` extension are dropped (the CEL
  rules in ``x-kubernetes-validations`` cannot be evaluated here);
* ``nullable: true`` allows null; ``x-kubernetes-int-or-string`` becomes
  ``type: [integer, string]``;
* an object schema without ``additionalProperties`` and without
  ``x-kubernetes-preserve-unknown-fields: true`` gets
  ``additionalProperties: false``; preserve-unknown-fields leaves it open;
* the root ``metadata`` becomes the real (strict) Kubernetes ObjectMeta, and
  ``apiVersion``/``kind`` are pinned with ``const`` and required.

The scope of every kind (``Namespaced`` or ``Cluster``: the CRD's ``spec.scope``,
or Kubernetes' own for core kinds) goes to ``scopes.json``, so the builders
know which objects must never carry a namespace.

Large sub-schemas that occur more than once (PodSpec, Container, the
Application template of an ApplicationSet ...) are moved to ``$defs`` and
referenced, which keeps the files small without changing what they accept.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "generator" / "builders" / "schemas"
DEFAULT_UPSTREAM = REPO.parent / "shared" / "schemas"
UPSTREAM_SUBDIRS = ("argocd", "flux", "gateway", "serving")

DRAFT = "https://json-schema.org/draft/2020-12/schema"
K8S_VERSION = "v1.34.0"
K8S_FLAVOUR = f"{K8S_VERSION}-local-strict"

OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
# The pattern controller-gen puts on every resource.Quantity in CRDs; the core
# OpenAPI has none, so it is added to the core Quantity for the same strictness.
QUANTITY_PATTERN = (
    r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|"
    r"([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"
)

# Core kinds: (group, version, kind); group "" is the core ("v1") group.
CORE_KINDS = [
    ("apps", "v1", "Deployment"),
    ("apps", "v1", "StatefulSet"),
    ("apps", "v1", "DaemonSet"),
    ("", "v1", "Service"),
    ("", "v1", "ConfigMap"),
    ("", "v1", "Secret"),
    ("", "v1", "ServiceAccount"),
    ("", "v1", "Namespace"),
    ("", "v1", "PersistentVolumeClaim"),
    ("autoscaling", "v2", "HorizontalPodAutoscaler"),
    ("policy", "v1", "PodDisruptionBudget"),
    ("networking.k8s.io", "v1", "NetworkPolicy"),
    ("networking.k8s.io", "v1", "Ingress"),
    ("batch", "v1", "Job"),
    ("batch", "v1", "CronJob"),
    ("rbac.authorization.k8s.io", "v1", "Role"),
    ("rbac.authorization.k8s.io", "v1", "RoleBinding"),
    ("rbac.authorization.k8s.io", "v1", "ClusterRole"),
    ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"),
]

# Core kinds that are cluster-scoped: those above, and the built-ins a template
# may well emit without a schema here (kubectl api-resources --namespaced=false).
CORE_CLUSTER_SCOPED = [
    ("", "v1", "Namespace"),
    ("", "v1", "Node"),
    ("", "v1", "PersistentVolume"),
    ("rbac.authorization.k8s.io", "v1", "ClusterRole"),
    ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"),
    ("storage.k8s.io", "v1", "StorageClass"),
    ("storage.k8s.io", "v1", "CSIDriver"),
    ("storage.k8s.io", "v1", "VolumeAttachment"),
    ("scheduling.k8s.io", "v1", "PriorityClass"),
    ("node.k8s.io", "v1", "RuntimeClass"),
    ("networking.k8s.io", "v1", "IngressClass"),
    ("apiextensions.k8s.io", "v1", "CustomResourceDefinition"),
    ("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration"),
    ("apiregistration.k8s.io", "v1", "APIService"),
]
SCOPES_FILE = "scopes.json"

# Upstream releases, for SOURCES.md (per subfolder of UPSTREAM_DIR).
UPSTREAM_RELEASES = {
    "argocd": "Argo CD v3.5.1 (github.com/argoproj/argo-cd, manifests/crds/)",
    "flux": (
        "Flux kustomize-controller v1.9.4, source-controller v1.9.1, helm-controller v1.6.3 "
        "(github.com/fluxcd/*, config/crd/bases/)"
    ),
    "gateway": "Gateway API v1.6.1, standard channel (github.com/kubernetes-sigs/gateway-api)",
    "serving": (
        "KServe v0.20.0 (config/crd/full/, with llmisvc/ and localmodel/), Argo Rollouts v1.9.1 (manifests/crds/), "
        "Flagger v1.44.0 (artifacts/flagger/crd.yaml), "
        "prometheus-operator v0.93.0 (example/prometheus-operator-crd/)"
    ),
}

# Sub-schemas at least this large (compact JSON bytes) that occur twice or more
# are moved to $defs.
DEDUP_MIN_BYTES = 1000

# Things worth telling the person who runs the script (upstream quirks, fix-ups).
NOTES: dict[str, list[str]] = {}


def note(msg: str, subject: str = "") -> None:
    NOTES.setdefault(msg, [])
    if subject and subject not in NOTES[msg]:
        NOTES[msg].append(subject)


def dumps(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def file_name(api_version: str, kind: str) -> str:
    group, _, version = api_version.rpartition("/")
    return f"{group or 'core'}_{version}_{kind.lower()}.json"


# --------------------------------------------------------------------------- CRDs

_SCHEMA_MAP_KEYS = ("properties", "patternProperties", "$defs", "definitions")
_SCHEMA_LIST_KEYS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_KEYS = ("items", "additionalProperties", "not", "additionalItems", "contains")


def _is_object_schema(s: dict) -> bool:
    t = s.get("type")
    return t == "object" or (isinstance(t, list) and "object" in t)


def convert_crd_schema(node: dict, where: str, *, in_junctor: bool = False) -> dict:
    """One openAPIV3Schema node -> strict JSON Schema node (recursive).

    ``in_junctor``: inside allOf/anyOf/oneOf/not, where a structural schema only
    carries value validations (no types); such nodes are never made strict.
    """
    out: dict = {}
    for key, value in node.items():
        if key == "description" or key.startswith("x-kubernetes-"):
            continue
        if key == "nullable":
            continue  # handled below
        if key in _SCHEMA_MAP_KEYS:
            out[key] = {
                k: convert_crd_schema(v, f"{where}.{k}", in_junctor=in_junctor)
                for k, v in value.items()
            }
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [convert_crd_schema(v, where, in_junctor=True) for v in value]
        elif key == "not":
            out[key] = convert_crd_schema(value, where, in_junctor=True)
        elif key == "items":
            if isinstance(value, list):  # not structural, but be safe
                out[key] = [convert_crd_schema(v, f"{where}[]", in_junctor=in_junctor) for v in value]
            else:
                out[key] = convert_crd_schema(value, f"{where}[]", in_junctor=in_junctor)
        elif key == "additionalProperties":
            out[key] = (
                convert_crd_schema(value, f"{where}.*", in_junctor=in_junctor)
                if isinstance(value, dict)
                else value
            )
        elif key == "pattern":
            out[key] = python_pattern(value, where)
        else:
            out[key] = value

    if node.get("x-kubernetes-int-or-string") is True:
        if out.get("anyOf") == [{"type": "integer"}, {"type": "string"}]:
            del out["anyOf"]
        elif "anyOf" in out:
            note("int-or-string with an unusual anyOf kept as is", where)
        elif "type" not in node:
            note("x-kubernetes-int-or-string without the usual anyOf", where)
        out["type"] = ["integer", "string"]

    if node.get("nullable") is True:
        t = out.get("type")
        if isinstance(t, str):
            out["type"] = [t, "null"]
        elif isinstance(t, list) and "null" not in t:
            out["type"] = [*t, "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]

    preserve = node.get("x-kubernetes-preserve-unknown-fields") is True
    if node.get("x-kubernetes-embedded-resource") is True and not preserve:
        props = out.setdefault("properties", {})
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        if "properties" not in props.get("metadata", {}):  # absent or a bare object
            props["metadata"] = {"$ref": f"#/$defs/{OBJECT_META}"}

    if not in_junctor and _is_object_schema(out) and "additionalProperties" not in out and not preserve:
        out["additionalProperties"] = False
        if "properties" not in out and not (where.count(".") == 1 and where.endswith(".metadata")):
            note("object without properties: only {} is accepted (the API server prunes every field)",
                 where)
    return out


_GLOBAL_FLAGS = re.compile(r"^\^(\(\?[aiLmsux]+\))")


def python_pattern(pattern: str, where: str) -> str:
    """The CRD pattern (Go RE2 syntax) as one Python's re (used by jsonschema) compiles.

    RE2 accepts inline global flags after ``^`` (``^(?i)(abort|warn)?$``); Python
    3.11+ rejects them unless they open the expression, so they are moved first.
    """
    try:
        re.compile(pattern)
        return pattern
    except re.error:
        pass
    fixed = _GLOBAL_FLAGS.sub(lambda m: m.group(1) + "^", pattern, count=1)
    try:
        re.compile(fixed)
    except re.error as exc:
        sys.exit(f"error: {where}: pattern {pattern!r} is not a Python regex ({exc})")
    note(f"RE2 pattern {pattern!r} rewritten as {fixed!r} for Python's re", where)
    return fixed


def load_crds(upstream: Path) -> dict[tuple[str, str, str], dict]:
    """(group, version, kind) -> {"schema":..., "file":..., "subdir":...} for served versions."""
    found: dict[tuple[str, str, str], dict] = {}
    for subdir in UPSTREAM_SUBDIRS:
        folder = upstream / subdir
        if not folder.is_dir():
            sys.exit(f"error: {folder} is not a directory (expected the upstream CRDs there)")
        for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
            with path.open("rb") as fh:
                docs = list(yaml.load_all(fh, Loader=yaml.CSafeLoader))
            for doc in docs:
                if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
                    continue
                spec = doc["spec"]
                group, kind = spec["group"], spec["names"]["kind"]
                for ver in spec["versions"]:
                    key = (group, ver["name"], kind)
                    if not ver.get("served", False):
                        note("not served upstream, skipped", f"{group}/{ver['name']} {kind}")
                        continue
                    schema = (ver.get("schema") or {}).get("openAPIV3Schema")
                    if schema is None:
                        sys.exit(f"error: {path.name}: {key} has no openAPIV3Schema")
                    rel = f"{subdir}/{path.name}"
                    if key in found:
                        if found[key]["schema"] != schema:
                            sys.exit(
                                f"error: {key} defined differently in {found[key]['file']} and {rel}"
                            )
                        found[key]["also"].append(rel)
                        continue
                    found[key] = {"schema": schema, "file": rel, "subdir": subdir, "also": [],
                                  "scope": spec.get("scope", "Namespaced")}
    return found


# --------------------------------------------------------------------- core kinds


def _k8s_schema_dir() -> Path:
    try:
        import kubernetes_validate
    except ImportError:
        sys.exit("error: kubernetes-validate is needed: pip install kubernetes-validate==1.37.0")
    d = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / K8S_FLAVOUR
    if not (d / "_definitions.json").is_file():
        sys.exit(f"error: the installed kubernetes-validate has no {K8S_FLAVOUR} schemas")
    return d


def _strip_annotations(node):
    """Drop description and x-kubernetes-* everywhere (recursively)."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "description" or k.startswith("x-kubernetes-"):
                continue
            if k in _SCHEMA_MAP_KEYS:
                out[k] = {pk: _strip_annotations(pv) for pk, pv in v.items()}
            else:
                out[k] = _strip_annotations(v)
        return out
    if isinstance(node, list):
        return [_strip_annotations(v) for v in node]
    return node


def load_k8s_definitions() -> tuple[dict, dict[tuple[str, str, str], dict]]:
    """($defs fixed up, {(group, version, kind): per-kind root schema})."""
    d = _k8s_schema_dir()
    raw = json.loads((d / "_definitions.json").read_text())
    defs = raw["$defs"]
    fixed: dict = {}
    for name, schema in defs.items():
        s = _strip_annotations(schema)
        if "properties" in s and s.get("additionalProperties") is not False:
            if name.startswith("io.k8s.apiextensions-apiserver"):
                pass  # JSONSchemaProps & co. are open by design; never bundled here
            else:
                note("core definition not strict upstream; additionalProperties: false added", name)
                s["additionalProperties"] = False
        fixed[name] = s
    # IntOrString / Quantity are oneOf of two types that *both* allow null, so
    # null fails the oneOf (unlike every other optional core field) and a bad
    # value gives a two-branch error; state them as plain type lists.
    fixed[INT_OR_STRING] = {"type": ["integer", "string", "null"]}
    fixed[QUANTITY] = {"type": ["number", "string", "null"], "pattern": QUANTITY_PATTERN}
    note("core IntOrString/Quantity: oneOf [string|null, integer|null] (null matches both branches, "
         "so fails) rewritten as a type list; Quantity got the CRD quantity pattern")

    # Per-kind files: the kind's definition with refs into /api/_definitions.json.
    roots: dict[tuple[str, str, str], dict] = {}
    wanted = set(CORE_KINDS)
    for path in sorted(d.glob("*.json")):
        if path.name.startswith("_") or path.name == "all.json":
            continue
        doc = json.loads(path.read_text())
        for gvk in doc.get("x-kubernetes-group-version-kind", []):
            key = (gvk["group"], gvk["version"], gvk["kind"])
            if key in wanted and key not in roots:
                roots[key] = doc
    missing = wanted - set(roots)
    if missing:
        sys.exit(f"error: no {K8S_FLAVOUR} schema for {sorted(missing)}")
    return fixed, roots


_REF_PREFIXES = ("/api/_definitions.json#/$defs/", "_definitions.json#/$defs/", "#/$defs/", "#/definitions/")


def _rewrite_refs(node):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                for p in _REF_PREFIXES:
                    if v.startswith(p):
                        v = "#/$defs/" + v[len(p):]
                        break
                else:
                    sys.exit(f"error: unexpected $ref {v!r}")
            out[k] = _rewrite_refs(v)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


def _refs(node, acc: set[str]) -> set[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and v.startswith("#/$defs/"):
                acc.add(v[len("#/$defs/"):])
            else:
                _refs(v, acc)
    elif isinstance(node, list):
        for v in node:
            _refs(v, acc)
    return acc


def bundle_defs(root: dict, defs: dict) -> dict:
    """Every definition transitively referenced from root."""
    out: dict = {}
    todo = sorted(_refs(root, set()))
    while todo:
        name = todo.pop()
        if name in out:
            continue
        if name not in defs:
            sys.exit(f"error: unknown definition {name}")
        out[name] = defs[name]
        todo.extend(sorted(_refs(out[name], set()) - set(out)))
    return out


def pin_root(root: dict, api_version: str, kind: str, where: str, *, upstream_root: dict) -> dict:
    """Pin apiVersion/kind (const, required), metadata -> ObjectMeta, strict root."""
    props = root.setdefault("properties", {})
    up_props = upstream_root.get("properties", {})
    for field, value in (("apiVersion", api_version), ("kind", kind)):
        old = up_props.get(field) or {}
        if old.get("const") != value and old.get("enum") != [value]:
            note(f"{field} not pinned upstream ({dumps(_strip_annotations(old))}); pinned", where)
        if field not in upstream_root.get("required", []):
            note(f"{field} not required upstream; made required", where)
        props[field] = {"const": value, "type": "string"}
    old_meta = _strip_annotations(up_props.get("metadata"))
    if old_meta not in (None, {"type": "object"}, {"$ref": f"#/$defs/{OBJECT_META}"},
                        {"$ref": f"/api/_definitions.json#/$defs/{OBJECT_META}"}):
        note(f"upstream root metadata {dumps(old_meta)[:80]} replaced by ObjectMeta", where)
    props["metadata"] = {"$ref": f"#/$defs/{OBJECT_META}"}
    root["required"] = sorted(set(root.get("required", [])) | {"apiVersion", "kind"})
    root["type"] = "object"
    if root.get("additionalProperties") is not False:
        note("root not strict upstream; additionalProperties: false added", where)
        root["additionalProperties"] = False
    return root


# ------------------------------------------------------------------ dedup ($defs)


def _schema_children(node: dict):
    """(container, key, name hint) of every direct sub-schema of a schema node."""
    for key in _SCHEMA_MAP_KEYS:
        if key != "$defs" and isinstance(node.get(key), dict):
            for k in node[key]:
                yield node[key], k, k
    for key in _SCHEMA_LIST_KEYS:
        if isinstance(node.get(key), list):
            for i in range(len(node[key])):
                yield node[key], i, None
    for key in _SCHEMA_KEYS:
        if isinstance(node.get(key), dict):
            yield node, key, "[]" if key == "items" else None


def inline_refs(node, defs: dict):
    """Copy of node with every reference to one of ``defs`` expanded (self-check)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs and len(node) == 1:
            return inline_refs(defs[ref[8:]], defs)
        return {k: inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [inline_refs(v, defs) for v in node]
    return node


def dedup(root: dict) -> None:
    """Move large sub-schemas occurring more than once into root["$defs"].

    Top-down, so the largest repeated sub-schema is what becomes a definition;
    definition names are the field name plus a content hash (deterministic).
    """
    counts: dict[str, int] = {}

    def count(node: dict) -> None:
        for container, k, _ in _schema_children(node):
            child = container[k]
            if isinstance(child, dict):
                text = dumps(child)
                if len(text) >= DEDUP_MIN_BYTES:
                    counts[text] = counts.get(text, 0) + 1
                    count(child)

    count(root)
    defs: dict = {}
    names: dict[str, str] = {}

    def extract(node: dict, label: str) -> None:
        for container, k, hint in _schema_children(node):
            child = container[k]
            if not isinstance(child, dict):
                continue
            text = dumps(child)
            if len(text) < DEDUP_MIN_BYTES:
                continue
            sub = label + "[]" if hint == "[]" else (re.sub(r"[^A-Za-z0-9_-]", "_", hint) if hint else label)
            if counts.get(text, 0) >= 2:
                name = names.get(text)
                if name is None:
                    name = f"{sub}.{hashlib.sha256(text.encode()).hexdigest()[:10]}"
                    names[text] = name
                    body = json.loads(text)
                    extract(body, sub)
                    defs[name] = body
                container[k] = {"$ref": f"#/$defs/{name}"}
            else:
                extract(child, sub)

    extract(root, "root")
    if defs:
        root["$defs"] = defs


# ------------------------------------------------------------------------- main


def write(path: Path, schema: dict) -> int:
    data = dumps(schema).encode()
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return len(data)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("upstream", nargs="?", default=str(DEFAULT_UPSTREAM),
                    help="folder with argocd/ flux/ gateway/ serving/ CRDs (default: ../shared/schemas)")
    ap.add_argument("--out", default=str(OUT_DIR), help="output folder (default: generator/builders/schemas)")
    args = ap.parse_args(argv)
    upstream, out_dir = Path(args.upstream), Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    k8s_defs, core_roots = load_k8s_definitions()
    meta_defs = bundle_defs({"$ref": f"#/$defs/{OBJECT_META}"}, k8s_defs)

    outputs: dict[str, dict] = {}  # file name -> schema
    rows: list[tuple[str, str, str, str]] = []  # (apiVersion, kind, source, scope)
    cluster_scoped = {(g, v, k) for g, v, k in CORE_CLUSTER_SCOPED}
    scopes: dict[str, str] = {}  # "apiVersion kind" -> Namespaced | Cluster

    for (group, version, kind), entry in sorted(load_crds(upstream).items()):
        api_version = f"{group}/{version}"
        where = f"{api_version} {kind}"
        root = convert_crd_schema(entry["schema"], kind)
        root = pin_root(root, api_version, kind, where, upstream_root=entry["schema"])
        if "$defs" in root:
            sys.exit(f"error: {where}: CRD schema already has $defs")
        before = copy.deepcopy(root)
        dedup(root)
        if inline_refs(root, root.get("$defs", {})) | {"$defs": None} != before | {"$defs": None}:
            sys.exit(f"error: {where}: dedup changed the schema (bug)")
        root.setdefault("$defs", {}).update(copy.deepcopy(meta_defs))
        root["$schema"] = DRAFT
        name = file_name(api_version, kind)
        if name in outputs:
            sys.exit(f"error: two kinds map to {name}")
        outputs[name] = root
        rows.append((api_version, kind, entry["file"], entry["scope"]))
        scopes[f"{api_version} {kind}"] = entry["scope"]

    for group, version, kind in CORE_KINDS:
        api_version = f"{group}/{version}" if group else version
        where = f"{api_version} {kind}"
        upstream_root = core_roots[(group, version, kind)]
        root = _rewrite_refs(_strip_annotations(upstream_root))
        for k in ("$id", "$schema"):
            root.pop(k, None)
        root = pin_root(root, api_version, kind, where, upstream_root=upstream_root)
        root["$defs"] = bundle_defs(root, k8s_defs)
        root["$schema"] = DRAFT
        name = file_name(api_version, kind)
        if name in outputs:
            sys.exit(f"error: two kinds map to {name}")
        outputs[name] = root
        scope = "Cluster" if (group, version, kind) in cluster_scoped else "Namespaced"
        rows.append((api_version, kind, f"kubernetes-validate {K8S_FLAVOUR}", scope))
        scopes[f"{api_version} {kind}"] = scope
    for group, version, kind in CORE_CLUSTER_SCOPED:
        scopes.setdefault(f"{group}/{version} {kind}" if group else f"{version} {kind}", "Cluster")

    total = 0
    for name in sorted(outputs):
        total += write(out_dir / name, outputs[name])
    # Sorted, one entry per line: a new kind is a one-line diff.
    scopes_text = "{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(scopes.items())) + "\n}\n"
    scopes_path = out_dir / SCOPES_FILE
    if not scopes_path.exists() or scopes_path.read_text() != scopes_text:
        scopes_path.write_text(scopes_text)
    stale = sorted(p.name for p in out_dir.glob("*.json") if p.name not in outputs and p.name != SCOPES_FILE)
    for name in stale:
        (out_dir / name).unlink()
        print(f"removed stale {name}")

    sources = render_sources(rows)
    src_path = out_dir / "SOURCES.md"
    if not src_path.exists() or src_path.read_text() != sources:
        src_path.write_text(sources)

    for msg, subjects in sorted(NOTES.items()):
        if subjects:
            shown = ", ".join(subjects[:8]) + (f", ... ({len(subjects)} in all)" if len(subjects) > 8 else "")
            print(f"note: {msg}: {shown}")
        else:
            print(f"note: {msg}")
    print(f"wrote {len(outputs)} schemas, {total} bytes, to {out_dir.relative_to(REPO) if out_dir.is_relative_to(REPO) else out_dir}")
    return 0


def render_sources(rows: list[tuple[str, str, str, str]]) -> str:
    lines = [
        "# Where these schemas come from",
        "",
        "Generated by `scripts/derive_schemas.py`; do not edit by hand. To regenerate:",
        "",
        "    pip install kubernetes-validate==1.37.0",
        "    python scripts/derive_schemas.py [UPSTREAM_DIR]",
        "",
        "`UPSTREAM_DIR` defaults to `../shared/schemas` (the upstream CRD YAML files, unmodified",
        "copies from the release tags below, in `argocd/`, `flux/`, `gateway/`, `serving/`).",
        "",
        "Upstream releases:",
        "",
        f"- `argocd/`: {UPSTREAM_RELEASES['argocd']}",
        f"- `flux/`: {UPSTREAM_RELEASES['flux']}",
        f"- `gateway/`: {UPSTREAM_RELEASES['gateway']}",
        f"- `serving/`: {UPSTREAM_RELEASES['serving']}",
        f"- core kinds: Kubernetes {K8S_VERSION} OpenAPI as shipped in the `kubernetes-validate` 1.37.0",
        f"  package (`{K8S_FLAVOUR}` flavour, `_definitions.json` and the per-kind files)",
        "",
        "Each file is a standalone JSON Schema (draft 2020-12) for one served apiVersion/kind,",
        "made strict: unknown fields are errors, like `kubectl --validate=strict`. Descriptions,",
        "`x-kubernetes-*` extensions and CEL rules (`x-kubernetes-validations`) are dropped;",
        "`metadata` is the Kubernetes ObjectMeta; `apiVersion` and `kind` are pinned.",
        "",
        f"`{SCOPES_FILE}` gives each kind's scope (the CRD's `spec.scope`; for core kinds",
        "Kubernetes' own, including cluster-scoped built-ins without a schema here):",
        "cluster-scoped objects are written without a namespace.",
        "",
        "| apiVersion | kind | scope | from |",
        "|---|---|---|---|",
    ]
    for api_version, kind, src, scope in sorted(rows):
        lines.append(f"| {api_version} | {kind} | {scope} | {src} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
