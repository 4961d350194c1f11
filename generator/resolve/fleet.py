"""Resolve: merge the spec documents into one immutable Release per
(environment, cluster, model).

A release's spec is the deep merge, later winning, of the Model's ``spec``,
the Environment's ``overrides`` and the Environment's ``models.<name>`` entry
(mappings merge key by key; lists and scalars replace). String fields may hold
Jinja2 expressions over the release context; they are evaluated here, so the
builders only ever see final values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, NoReturn

from pydantic import ValidationError

from .. import budgets
from ..errors import FieldPath, GitopsGenError, Problem, dotted, raise_if, shown_path
from ..load.source import Located, SourceTree, error_path, load_tree, pydantic_message
from ..load.spec import (
    OTEL_SIDECAR,
    OWN_ANNOTATIONS,
    Cluster,
    EnvironmentSpec,
    ModelSpec,
    ProjectSpec,
    SpecProblem,
    Sync,
    model_spec_problems,
    otel_collector,
    unread_fields,
)
from .organisation import check_organisation
from .templating import TemplateProblem, has_expression, names_used, render_string


@dataclass(frozen=True, slots=True)
class Project:
    name: str
    spec: ProjectSpec
    file: str


@dataclass(frozen=True, slots=True)
class Environment:
    name: str
    namespace: str
    clusters: tuple[Cluster, ...]
    sync: Sync
    file: str
    engines: tuple[str, ...] = ("argocd",)  # the environment's own, else the Project's
    argocd_project: str = ""  # name of its AppProject (``argocd.project``)
    # Clusters read from a Terraform output file (spec.clustersFrom): cluster name -> that file.
    cluster_files: Mapping[str, str] = field(default_factory=dict)

    def engines_of(self, cluster: Cluster) -> tuple[str, ...]:
        """The engines that deploy to ``cluster``: its own ``engine``, else the environment's."""
        return (cluster.engine,) if cluster.engine else self.engines


@dataclass(frozen=True, eq=False)
class SourceFiles:
    """The text of every file under templates/ and components/, by path relative to the source tree,
    and the kinds without a schema the Project lets them produce (``spec.extensions.allowedKinds``).

    Compared and hashed by identity: one instance is shared by all releases of a
    fleet, so compiled templates can be cached per instance.
    """

    texts: Mapping[str, str]
    allowed_kinds: frozenset[tuple[str, str]] = frozenset()  # (apiVersion, kind)


NO_FILES = SourceFiles(MappingProxyType({}))
NO_ANNOTATIONS: Mapping[str, str] = MappingProxyType({})
NO_ORIGINS: Mapping[tuple, Problem] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Release:
    """One model in one environment on one cluster, fully resolved."""

    environment: Environment
    cluster: Cluster
    model: str
    version: str
    spec: ModelSpec
    model_labels: Mapping[str, str]
    sources: tuple[str, ...]  # spec files it came from, relative to the source tree
    files: SourceFiles = NO_FILES
    # A/B tests (rollout.strategy: ab): one Release per variant, each with the
    # variant's version and its spec's expressions evaluated with that version.
    variants: tuple[Release, ...] = ()
    variant: str | None = None  # set on those per-variant Releases only
    model_annotations: Mapping[str, str] = field(default_factory=lambda: NO_ANNOTATIONS)  # metadata.annotations
    # Where each of spec.patches (and each operation of a JSON patch) was written, by its path in the spec
    # ("patches", i) / ("patches", i, "json", j): a patch that fails is reported there (builders/patches.py).
    patch_origins: Mapping[tuple, Problem] = field(default_factory=lambda: NO_ORIGINS)

    @property
    def name(self) -> str:
        """Unique name of the release: used for Argo CD Applications and Flux Kustomizations."""
        return f"{self.environment.name}-{self.cluster.name}-{self.model}"

    @property
    def workload_name(self) -> str:
        """Name of the objects that run it: the model's, or ``<model>-<variant>`` for an A/B variant."""
        return self.model if self.variant is None else f"{self.model}-{self.variant}"

    @property
    def namespace(self) -> str:
        return self.environment.namespace

    @property
    def engines(self) -> tuple[str, ...]:
        return self.environment.engines_of(self.cluster)

    @property
    def context(self) -> dict[str, str]:
        """What string expressions and templates may refer to."""
        return release_context(self.environment, self.cluster, self.model, self.version)


def release_context(environment: Environment, cluster: Cluster, model: str, version: str) -> dict[str, str]:
    """The names a spec string's expressions (resolve) and a template file (builders) may use."""
    return {
        "version": version,
        "model": model,
        "environment": environment.name,
        "cluster": cluster.name,
        "namespace": environment.namespace,
    }


@dataclass(frozen=True)
class Fleet:
    """Everything the builders need, and nothing read from disk after this point."""

    project: Project
    environments: tuple[Environment, ...]
    releases: tuple[Release, ...]  # sorted by (environment, cluster, model)
    model_names: tuple[str, ...]

    def select(self, environment: str | None = None, cluster: str | None = None,
               model: str | None = None) -> list[Release]:
        """Releases matching the given names; unknown names are errors, not empty results."""
        if environment is not None and environment not in {e.name for e in self.environments}:
            raise GitopsGenError(f"unknown environment {environment!r} (known: {_names(e.name for e in self.environments)})")
        if model is not None and model not in self.model_names:
            raise GitopsGenError(f"unknown model {model!r} (known: {_names(self.model_names)})")
        chosen = [r for r in self.releases
                  if environment in (None, r.environment.name) and model in (None, r.model)]
        if cluster is not None:
            clusters = {r.cluster.name for r in chosen}
            if cluster not in clusters:
                raise GitopsGenError(f"unknown cluster {cluster!r}" + (f" in environment {environment!r}" if environment else "")
                                     + f" (known: {_names(clusters)})")
            chosen = [r for r in chosen if r.cluster.name == cluster]
        return chosen


def _names(names) -> str:
    return ", ".join(sorted(set(names))) or "none"


def app_project_name(template: str, environment: str) -> str:
    """The AppProject of an environment: ``argocd.project`` with the environment's name in it."""
    return _ENVIRONMENT_PLACEHOLDER.sub(environment, template)


_ENVIRONMENT_PLACEHOLDER = re.compile(r"\{\{ ?environment ?\}\}")


def application_set_name(environment: str, model: str) -> str:
    """Name of the ApplicationSet of one (environment, model) (``argocd.applicationSets: true``)."""
    return f"{environment}-{model}"


def deep_merge(base: Any, override: Any) -> Any:
    """Mappings merge key by key, later winning; lists and scalars replace."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    return override


def load_fleet(source: str | Path) -> Fleet:
    """Load and resolve a source tree: the whole front half of the compiler."""
    return resolve(load_tree(source))


def resolve(tree: SourceTree) -> Fleet:
    problems: list[Problem] = []
    project_doc = tree.project
    project = Project(project_doc.name, project_doc.doc.spec, project_doc.file)
    environments = []
    releases: list[Release] = []
    used_models: set[str] = set()
    files = SourceFiles(MappingProxyType(dict(tree.extension_files)),
                        frozenset((k.apiVersion, k.kind) for k in project.spec.extensions.allowedKinds))
    for env_name in sorted(tree.environments):
        env_doc = tree.environments[env_name]
        spec: EnvironmentSpec = env_doc.doc.spec
        env = Environment(env_name, spec.namespace, tuple(spec.clusters), spec.sync, env_doc.file,
                          engines=tuple(spec.engines or project.spec.engines),
                          argocd_project=app_project_name(project.spec.argocd.project, env_name),
                          cluster_files=MappingProxyType(tree.cluster_files.get(env_name, {})))
        environments.append(env)
        for model_name in sorted(spec.models):
            used_models.add(model_name)
            try:
                releases.extend(_releases(project, env, env_doc, tree.models[model_name], files))
            except GitopsGenError as exc:
                problems.extend(exc.problems)
                if budgets.template_seconds_left() <= 0:
                    raise_if(problems)  # every expression from here on would only repeat that the budget ran out
    for name in sorted(set(tree.models) - used_models):
        problems.extend(_unused_model_problems(tree.models[name]))
    raise_if(problems)
    same_cluster = check_organisation(tree, environments)
    releases.sort(key=lambda r: (r.environment.name, r.cluster.name, r.model))
    _check_collisions(releases, same_cluster)
    if project.spec.argocd.rootApplications:
        _check_root_names(tree, environments, releases)
    if project.spec.argocd.applicationSets and any("argocd" in r.engines for r in releases):
        _check_application_set_names(tree, releases)
    _check_graph_steps(tree, releases)
    return Fleet(project=project, environments=tuple(environments), releases=tuple(releases),
                 model_names=tuple(sorted(tree.models)))


def _layers(env_doc: Located, model_doc: Located) -> list[tuple[Located, tuple]]:
    """The merge layers of one (environment, model), earliest first, with the path of each in its file."""
    name = model_doc.name
    return [(model_doc, ("spec",)), (env_doc, ("spec", "overrides")), (env_doc, ("spec", "models", name))]


def _merged_spec(env_doc: Located, model_doc: Located) -> tuple[Any, frozenset[str]]:
    """The model's spec in the environment, and the fields of the environment's overrides it skips."""
    spec: EnvironmentSpec = env_doc.doc.spec
    entry = spec.models[model_doc.name] or {}
    overrides = spec.overrides
    skipped: frozenset[str] = frozenset()
    if overrides:
        skipped = _unread_overrides(deep_merge(deep_merge(model_doc.doc.spec, overrides), entry), overrides)
        overrides = {key: value for key, value in overrides.items() if key not in skipped}
    return deep_merge(deep_merge(model_doc.doc.spec, overrides), entry), skipped


def _unread_overrides(merged: Any, overrides: dict[str, Any]) -> frozenset[str]:
    """Fields of an environment's overrides that this model's serving kind never reads.

    Overrides apply to every model of the environment, which may run models of
    every serving kind: `resources` there must not make a chart's model invalid.
    So each model takes the overrides that mean something for it; the same field
    written on the Model or under `models.<name>` is refused (spec.unread_fields).
    """
    if not isinstance(merged, dict):
        return frozenset()
    serving, format, monitoring = merged.get("serving", "kserve"), merged.get("format"), merged.get("monitoring")
    if not isinstance(serving, str):
        return frozenset()  # validation reports it
    metrics = isinstance(monitoring, dict) and monitoring.get("metrics") is True
    unread = unread_fields(serving, format if isinstance(format, str) else None, metrics)
    skipped = frozenset(key for key in overrides if key in unread)
    if serving == "llm" and "autoscaling" in overrides:
        # An environment's autoscaling is a metric and a target for its InferenceServices and Deployments; an LLM
        # scales through KServe's Workload Variant Autoscaler, set on the model (or under models.<name>).
        skipped |= {"autoscaling"}
    return skipped


class _Origins:
    """Where each field of a merged spec was written: the file, line and path in that file."""

    def __init__(self, env_doc: Located, model_doc: Located, skipped: frozenset[str] = frozenset()):
        self.model_doc = model_doc
        self.map: dict[tuple, tuple[Located, tuple]] = {}
        for doc, prefix in _layers(env_doc, model_doc):
            for path in doc.source.lines:
                if path[: len(prefix)] == prefix and len(path) > len(prefix):
                    if prefix[-1] == "overrides" and path[len(prefix)] in skipped:
                        continue  # not merged into this model: a problem with the field is the model's
                    self.map[path[len(prefix):]] = (doc, path)

    def problem(self, path: tuple, message: str) -> Problem:
        for end in range(len(path), 0, -1):
            found = self.map.get(tuple(path[:end]))
            if found:
                doc, real = found
                full = (*real, *path[end:])
                return Problem(doc.file, doc.source.line_of(real), dotted(full), message)
        return self.model_doc.problem(("spec", *path), message)


def locate(env_doc: Located, model_doc: Located, path: tuple, message: str) -> Problem:
    """A problem about field ``path`` of the merged spec of (environment, model), located where it was written."""
    return _Origins(env_doc, model_doc, _merged_spec(env_doc, model_doc)[1]).problem(path, message)


def merged_spec(env_doc: Located, model_doc: Located) -> dict[str, Any]:
    """The spec of (environment, model) as written, merged, before expressions are evaluated or it is checked."""
    return _merged_spec(env_doc, model_doc)[0]


def _releases(project: Project, env: Environment, env_doc: Located, model_doc: Located,
              files: SourceFiles) -> list[Release]:
    """The Releases of one model in one environment: one per cluster (with its A/B variants)."""
    return _ModelInEnvironment(project, env, env_doc, model_doc, files).releases()


class _ModelInEnvironment:
    """One model's merged spec in one environment, validated once per distinct (version, cluster) it needs."""

    def __init__(self, project: Project, env: Environment, env_doc: Located, model_doc: Located,
                 files: SourceFiles):
        self.env, self.env_doc, self.model_doc, self.files = env, env_doc, model_doc, files
        self.name = model_doc.name
        self.merged, self.skipped = _merged_spec(env_doc, model_doc)
        self.origins: _Origins | None = None  # built on the first problem (or patch) only
        self.patch_origins: Mapping[tuple, Problem] | None = None
        if not isinstance(self.merged, dict):
            self.fail([((), "must be a mapping")])
        # Where the expressions are, found once: each (version, cluster) renders just those strings.
        self.expressions = [site for site in _expression_sites(self.merged) if site[0] != ("version",)]
        # Most expressions ({{ version }}, {{ environment }}) do not name the cluster:
        # then one evaluation and one validation serve every cluster of the environment.
        self.per_cluster = any(_may_read_cluster(text) for _, text in self.expressions)
        self.hand_written_sources = tuple(sorted({project.file, env.file, model_doc.file}))
        self.labels = MappingProxyType(dict(sorted(model_doc.doc.metadata.labels.items())))
        self.annotations = MappingProxyType(dict(sorted(model_doc.doc.metadata.annotations.items())))
        self.specs: dict[tuple, ModelSpec] = {}

    def fail(self, problems: list[tuple[FieldPath, str]], located: list[Problem] | None = None) -> NoReturn:
        """Raise ``located`` and ``problems`` (paths in the merged spec), each located in the file and line
        it came from."""
        self.origins = self.origins or _Origins(self.env_doc, self.model_doc, self.skipped)
        raise GitopsGenError(*(located or ()), *(self.origins.problem(path, msg) for path, msg in problems))

    def releases(self) -> list[Release]:
        version = self.merged.get("version")
        if version is None:
            raise GitopsGenError(self.env_doc.problem(
                ("spec", "models", self.name),
                f"model {self.name!r} has no version in environment {self.env.name!r}: "
                "set spec.version in the Model or pin `version:` here"))
        own = [key for key in self.annotations if key in OWN_ANNOTATIONS or key.startswith("gitops-gen.io/")]
        if own:
            raise GitopsGenError(*(self.model_doc.problem(("metadata", "annotations", key),
                                                          "set by gitops-gen" + (f" from spec.{OWN_ANNOTATIONS[key]}: "
                                                                                 "write that field"
                                                                                 if key in OWN_ANNOTATIONS else ""))
                                   for key in own))
        out = []
        for cluster in self.env.clusters:
            model_spec = self.spec_for(cluster, version)
            if OTEL_SIDECAR in self.annotations and otel_collector(model_spec):
                raise GitopsGenError(self.model_doc.problem(
                    ("metadata", "annotations", OTEL_SIDECAR),
                    "set by gitops-gen from spec.autoscaling.metricNames: the collector KServe makes for them is "
                    "named after the predictor"))
            variants: tuple[Release, ...] = ()
            ab = model_spec.rollout.ab
            if model_spec.rollout.strategy == "ab" and ab is not None:
                # Each variant runs its own version: expressions such as storageUri's
                # {{ version }} are evaluated again with it.
                variants = tuple(self.release(cluster, self.spec_for(cluster, v.version), variant=v.name)
                                 for v in ab.variants)
            out.append(self.release(cluster, model_spec, variants=variants))
        if self.per_cluster and any(r.spec.serving == "helm" for r in out):
            # Which objects deploy a chart (a HelmRelease, and a Kustomization for monitors and templates)
            # must be the same on every cluster: Flux's dependsOn names the previous wave's objects of one kind.
            shapes = {(r.spec.serving, r.spec.monitoring.metrics, bool(r.spec.templates)) for r in out}
            if len(shapes) > 1:
                self.fail([(("serving",), "serving: helm, monitoring.metrics and templates must not differ between "
                                          "the clusters of an environment ({{ cluster }} in one of them?)")])
        return out

    def release(self, cluster: Cluster, spec: ModelSpec, variants: tuple[Release, ...] = (),
                variant: str | None = None) -> Release:
        assert spec.version is not None  # releases() refused a model without a version
        return Release(environment=self.env, cluster=cluster, model=self.name, version=spec.version, spec=spec,
                       model_labels=self.labels, sources=self.sources(cluster), files=self.files, variants=variants,
                       variant=variant, model_annotations=self.annotations,
                       patch_origins=self.patch_sites(spec) if spec.patches else NO_ORIGINS)

    def patch_sites(self, spec: ModelSpec) -> Mapping[tuple, Problem]:
        """Where each patch and each JSON patch operation was written (the same on every cluster: a list
        is written in one place)."""
        if self.patch_origins is None:
            self.origins = self.origins or _Origins(self.env_doc, self.model_doc, self.skipped)
            paths: list[tuple] = []
            for i, patch in enumerate(spec.patches):
                paths.append(("patches", i))
                paths.extend(("patches", i, "json", j) for j in range(len(patch.json_ or ())))
            self.patch_origins = MappingProxyType({path: self.origins.problem(path, "") for path in paths})
        return self.patch_origins

    def sources(self, cluster: Cluster) -> tuple[str, ...]:
        """The files a release came from: the spec files, and the Terraform output its cluster was read from."""
        cluster_file = self.env.cluster_files.get(cluster.name)
        if cluster_file is None:
            return self.hand_written_sources
        return tuple(sorted({*self.hand_written_sources, cluster_file}))

    def spec_for(self, cluster: Cluster, version: Any) -> ModelSpec:
        # By repr: a version from YAML may be any value (a list is reported by validation).
        key = (type(version), repr(version), cluster.name if self.per_cluster else None)
        spec = self.specs.get(key)
        if spec is None:
            spec = self.specs[key] = self._validated_spec(cluster, version)
        return spec

    def _validated_spec(self, cluster: Cluster, version: Any) -> ModelSpec:
        if not self.expressions and self.specs:
            # No expressions: only the version differs (A/B variants), and it needs no re-validation.
            shared = next(iter(self.specs.values()))
            return shared if shared.version == version else shared.model_copy(update={"version": version})
        merged = self.merged
        if self.expressions:
            context = release_context(self.env, cluster, self.name, str(version))
            merged = _rendered({**merged, "version": version}, self.expressions, context, self.fail)
        spec = _validated(merged, self.fail)
        problems = _release_problems(self.name, spec, self.files)
        # The model's own name is to blame, wherever the setting that adds a suffix was written.
        too_long = [self.model_doc.problem(("metadata", "name"), message)
                    for message in _model_name_problems(self.name, spec)]
        if problems or too_long:
            self.fail(problems, too_long)
        return spec


# Suffixes gitops-gen (Argo Rollouts' second Service) or KServe (the predictor)
# add to a model's name: object names are DNS labels of at most 63 characters.
_SUFFIXES = {"canary": "-canary", "bluegreen": "-preview"}
_KSERVE_PREDICTOR = "-predictor"


def _release_problems(model: str, spec: ModelSpec, files: SourceFiles) -> list[SpecProblem]:
    """Checks that need more than the spec: the model's name, and the files of the source tree."""
    problems: list[SpecProblem] = []
    for i, path in enumerate(spec.templates):
        if path not in files.texts:
            problems.append((("templates", i), f"{path} not found in the source tree"))
    if spec.serving == "jsonnet" and spec.component and spec.component not in files.texts:
        problems.append((("component",), f"{spec.component} not found in the source tree"))
    if spec.rollout.strategy == "ab" and spec.rollout.ab:
        for i, v in enumerate(spec.rollout.ab.variants):
            name = f"{model}-{v.name}" + (_KSERVE_PREDICTOR if spec.serving == "kserve" else "")
            if len(name) > 63:
                problems.append((("rollout", "ab", "variants", i, "name"),
                                 f"the object name {name!r} would be longer than 63 characters; "
                                 "shorten the model or variant name"))
    return problems


def _model_name_problems(model: str, spec: ModelSpec) -> list[str]:
    """The model's name is a DNS label of at most 63 characters, but objects are named after it plus a suffix."""
    if spec.rollout.strategy == "ab" and spec.rollout.ab:
        return []  # variants name the objects: checked with them
    suffix = _SUFFIXES.get(spec.rollout.strategy, "") if spec.serving == "deployment" else ""
    why = f"rollout.strategy: {spec.rollout.strategy} adds {suffix!r}" if suffix else ""
    if spec.serving == "kserve":
        suffix += _KSERVE_PREDICTOR
        why = f"KServe adds {_KSERVE_PREDICTOR!r} for the predictor"
    name = model + suffix
    if len(name) <= 63:
        return []
    return [f"too long: the model's objects would be named {name!r}, longer than the 63 characters Kubernetes "
            f"allows ({why}); shorten the name to at most {63 - len(suffix)} characters"]


def _validated(merged: dict, fail) -> ModelSpec:
    try:
        model_spec = ModelSpec.model_validate(merged)
    except ValidationError as exc:
        fail([(error_path(e), pydantic_message(e, ModelSpec)) for e in exc.errors(include_url=False)])
    problems = model_spec_problems(model_spec)
    if problems:
        fail(problems)
    return model_spec


def _may_read_cluster(text: str) -> bool:
    names = names_used(text)
    return names is None or "cluster" in names  # None: a syntax error, reported when rendered


def _expression_sites(value: dict | list, path: FieldPath = (), found: list | None = None
                      ) -> list[tuple[FieldPath, str]]:
    """The (field path, string) of every string holding a Jinja2 expression in a merged spec. A plain loop that
    looks at strings where it meets them: this walks every merged spec of the fleet."""
    if found is None:
        found = []
    for key, item in value.items() if isinstance(value, dict) else enumerate(value):
        if isinstance(item, str):
            if has_expression(item):
                found.append(((*path, key), item))
        elif isinstance(item, (dict, list)):
            _expression_sites(item, (*path, key), found)
    return found


def _rendered(merged: dict, sites: list[tuple[FieldPath, str]], context: dict, fail) -> dict:
    """``merged`` with the strings at ``sites`` rendered: the dicts and lists on their paths are copied, the rest
    is shared (never changed: validation makes its own objects)."""
    copies: dict[int, Any] = {}  # id of an original container, or of a copy, -> the copy

    def copied(container: Any) -> Any:
        copy = copies.get(id(container))
        if copy is None:
            copy = container.copy()
            copies[id(container)] = copies[id(copy)] = copy
        return copy

    out = copied(merged)
    for path, text in sites:
        try:
            value = render_string(text, context)
        except TemplateProblem as exc:
            fail([(path, str(exc))])
        node = out
        for key in path[:-1]:
            node[key] = node = copied(node[key])
        node[path[-1]] = value
    return out


def _unused_model_problems(model_doc: Located) -> list[Problem]:
    """A Model no environment uses is still checked, except for what environments would fill in."""
    try:
        ModelSpec.model_validate(model_doc.doc.spec)
    except ValidationError as exc:
        errors = [e for e in exc.errors(include_url=False) if e["type"] != "missing"]
        return [model_doc.problem(("spec", *error_path(e)), pydantic_message(e, ModelSpec)) for e in errors]
    return []


def _check_application_set_names(tree: SourceTree, releases: list[Release]) -> None:
    """Refuse two (environment, model) pairs whose ApplicationSets get one name (environment a-b with model
    c, environment a with model b-c): both live in Argo CD's namespace, so one would replace the other."""
    problems = []
    seen: dict[str, tuple[str, str]] = {}
    for env, model in sorted({(r.environment.name, r.model) for r in releases}):
        name = application_set_name(env, model)
        other_env, other_model = seen.setdefault(name, (env, model))
        if (other_env, other_model) == (env, model):
            continue
        other = tree.environments[other_env]
        where = f"{shown_path(other.file)}:{other.source.line_of(('spec', 'models', other_model))}"
        problems.append(tree.environments[env].problem(
            ("spec", "models", model),
            f"the ApplicationSet of environment {env!r} and model {model!r} would be named {name!r}, as is the one "
            f"of environment {other_env!r} and model {other_model!r} ({where}); rename an environment or a model"))
    raise_if(problems)


def _check_root_names(tree: SourceTree, environments: list[Environment], releases: list[Release]) -> None:
    """A root Application is named after its AppProject; it must not take a release Application's name."""
    names = {r.name: r for r in releases if "argocd" in r.engines}
    problems = []
    for env in environments:
        other = names.get(env.argocd_project)
        if other is not None:
            problems.append(tree.project.problem(("spec", "argocd", "rootApplications"), (
                f"the root Application of environment {env.name!r} would be named {env.argocd_project!r}, as is "
                f"the Application of model {other.model!r} on cluster {other.cluster.name!r} of environment "
                f"{other.environment.name!r}; change argocd.project")))
    raise_if(problems)


def _check_graph_steps(tree: SourceTree, releases: list[Release]) -> None:
    """A graph step calls the InferenceService of a model in the graph's own environment and cluster."""
    graphs = [r for r in releases if r.spec.serving == "graph"]
    if not graphs:
        return
    placed = {(r.environment.name, r.cluster.name, r.model): r for r in releases}
    problems: list[Problem] = []
    for graph in graphs:
        origins = None
        assert graph.spec.graph is not None  # serving: graph requires it (spec checks)
        for node_name, node in graph.spec.graph.nodes.items():
            for i, step in enumerate(node.steps):
                if step.model is None:
                    continue
                target = placed.get((graph.environment.name, graph.cluster.name, step.model))
                if target is None:
                    why = (f"model {step.model!r} does not run in environment {graph.environment.name!r} on cluster "
                           f"{graph.cluster.name!r}: list it in the environment's models")
                elif target.spec.serving != "kserve":
                    why = (f"model {step.model!r} has serving: {target.spec.serving}; a graph step calls an "
                           "InferenceService (serving: kserve)")
                elif target.spec.rollout.strategy == "ab":
                    why = (f"model {step.model!r} runs an A/B test (one InferenceService per variant); a graph step "
                           "calls one InferenceService")
                else:
                    continue
                origins = origins or _Origins(tree.environments[graph.environment.name], tree.models[graph.model])
                problems.append(origins.problem(("graph", "nodes", node_name, "steps", i, "model"), why))
    raise_if(problems)


def _check_collisions(releases: list[Release], same_cluster: Mapping[str, str]) -> None:
    """``same_cluster``: each cluster name's canonical name (names ``sharedWith`` joins share one)."""
    problems: list[Problem] = []
    names: dict[str, Release] = {}
    places: dict[tuple, Release] = {}
    for r in releases:
        other = names.setdefault(r.name, r)
        if other is not r:
            problems.append(Problem(r.environment.file, 0, "",
                                    f"release name {r.name!r} is ambiguous: environment {r.environment.name!r} "
                                    f"cluster {r.cluster.name!r} vs environment {other.environment.name!r} "
                                    f"cluster {other.cluster.name!r}; rename one"))
        # One cluster name is one cluster (checked before): the name, not the server,
        # says where a release runs (Flux-only clusters may all leave the default server).
        where = (same_cluster.get(r.cluster.name, r.cluster.name), r.namespace, r.model)
        other = places.setdefault(where, r)
        if other is not r and other.environment.name != r.environment.name:
            problems.append(Problem(r.environment.file, 0, "spec.namespace",
                                    f"environments {other.environment.name!r} and {r.environment.name!r} both deploy "
                                    f"model {r.model!r} to namespace {r.namespace!r} on cluster {r.cluster.name!r}"
                                    + (f" (also named {other.cluster.name!r})" if other.cluster.name != r.cluster.name
                                       else "")))
    raise_if(problems)
