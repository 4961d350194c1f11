"""A small stand-in for the Kubernetes API, for testing the promotion health gate without a cluster.

Each ``StandInCluster`` is an HTTP server on 127.0.0.1 (a free port, a thread)
that answers only ``GET /apis/<group>/<version>/namespaces/<ns>/<plural>/<name>``,
the one request shape the gate makes, from the objects a test puts in it, and
404 with a Kubernetes ``Status`` otherwise, like the real API server. It
requires the bearer token of the kubeconfig ``write_kubeconfig`` writes, and
records every path it was asked for.

The objects are the ones gitops-gen renders, plus a ``status`` shaped like
what the controllers write (Argo CD, Flux kustomize-controller, KServe,
the Deployment controller).
"""
from __future__ import annotations

import copy
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

TOKEN = "stand-in-token"
_PLURALS = {"Application": "applications", "Kustomization": "kustomizations", "HelmRelease": "helmreleases",
            "InferenceService": "inferenceservices", "LLMInferenceService": "llminferenceservices",
            "InferenceGraph": "inferencegraphs", "Deployment": "deployments", "Rollout": "rollouts"}


class StandInCluster:
    def __init__(self, name: str):
        self.name = name
        self.objects: dict[str, dict] = {}
        self.requests: list[str] = []
        self.delay = 0.0  # seconds before answering: a slow API server
        cluster = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                cluster.requests.append(self.path)
                if cluster.delay:
                    time.sleep(cluster.delay)
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._reply(401, _status(401, "Unauthorized", "Unauthorized"))
                obj = cluster.objects.get(self.path.split("?")[0])
                if obj is None:
                    return self._reply(404, _status(404, "NotFound", f"{self.path} not found"))
                self._reply(200, obj)

            def _reply(self, code: int, body: dict):
                data = json.dumps(body).encode()
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, *args):  # keep test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)
        self.thread.start()

    def put(self, obj: dict, status: dict) -> dict:
        """Serve ``obj`` (a rendered manifest) as the API server would: with metadata.generation and ``status``."""
        live = copy.deepcopy(obj)
        live.setdefault("metadata", {}).setdefault("generation", 1)
        live["status"] = status
        group_version = obj["apiVersion"]
        meta = live["metadata"]
        path = f"/apis/{group_version}/namespaces/{meta['namespace']}/{_PLURALS[obj['kind']]}/{meta['name']}"
        self.objects[path] = live
        return live

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _status(code: int, reason: str, message: str) -> dict:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}


def closed_port_url() -> str:
    """An address on the loopback where nothing listens: an unreachable cluster."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def write_kubeconfig(path: Path, servers: dict[str, str]) -> Path:
    """A kubeconfig with one context per entry of ``servers`` (context name -> server URL)."""
    config = {
        "apiVersion": "v1", "kind": "Config", "preferences": {},
        "clusters": [{"name": n, "cluster": {"server": url}} for n, url in servers.items()],
        "users": [{"name": "gate", "user": {"token": TOKEN}}],
        "contexts": [{"name": n, "context": {"cluster": n, "user": "gate"}} for n in servers],
        "current-context": next(iter(servers)),
    }
    path.write_text(yaml.safe_dump(config))
    return path


# --- statuses as the controllers write them ---------------------------------------------------------------

def argocd_status(sync: str = "Synced", health: str = "Healthy") -> dict:
    return {"sync": {"status": sync, "revision": "0123456789abcdef0123456789abcdef01234567"},
            "health": {"status": health}, "reconciledAt": "2025-01-01T00:00:00Z"}


def flux_status(ready: bool = True, observed_generation: int = 1) -> dict:
    reason = "ReconciliationSucceeded" if ready else "HealthCheckFailed"
    return {"observedGeneration": observed_generation,
            "lastAppliedRevision": "main@sha1:0123456789abcdef0123456789abcdef01234567",
            "conditions": [{"type": "Ready", "status": "True" if ready else "False", "reason": reason,
                            "message": "Applied revision: main@sha1:0123456" if ready else "timeout waiting for: "
                            "[InferenceService/ml/iris status: 'InProgress']",
                            "lastTransitionTime": "2025-01-01T00:00:00Z", "observedGeneration": observed_generation}]}


def helm_release_status(chart_version: str, ready: bool = True, observed_generation: int = 1) -> dict:
    """A HelmRelease's status as helm-controller writes it: Ready, and the release history, newest first."""
    reason = "UpgradeSucceeded" if ready else "UpgradeFailed"
    return {"observedGeneration": observed_generation, "lastAttemptedRevision": chart_version,
            "history": [{"name": "chat", "namespace": "ml", "version": 2, "status": "deployed" if ready else "failed",
                         "chartName": "vllm-stack", "chartVersion": chart_version, "configDigest": "sha256:00",
                         "digest": "sha256:11", "firstDeployed": "2025-01-01T00:00:00Z",
                         "lastDeployed": "2025-01-01T00:00:00Z"}],
            "conditions": [{"type": "Ready", "status": "True" if ready else "False", "reason": reason,
                            "message": "Helm upgrade succeeded" if ready else "context deadline exceeded",
                            "lastTransitionTime": "2025-01-01T00:00:00Z", "observedGeneration": observed_generation}]}


def inference_service_status(ready: bool = True) -> dict:
    state = "True" if ready else "False"
    return {"observedGeneration": 1, "url": "http://iris.ml.example.com",
            "conditions": [{"type": "IngressReady", "status": "True", "lastTransitionTime": "2025-01-01T00:00:00Z"},
                           {"type": "PredictorReady", "status": state, "lastTransitionTime": "2025-01-01T00:00:00Z"},
                           {"type": "Ready", "status": state, "lastTransitionTime": "2025-01-01T00:00:00Z",
                            **({} if ready else {"reason": "RevisionMissing",
                                                 "message": "Revision \"iris-predictor-00001\" failed"})}],
            "modelStatus": {"states": {"activeModelState": "Loaded" if ready else "Pending",
                                       "targetModelState": "Loaded"},
                            "transitionStatus": "UpToDate" if ready else "InProgress"}}


def kserve_ready_status(ready: bool = True, reason: str = "MinimumReplicasUnavailable") -> dict:
    """The Ready condition KServe's LLMInferenceService and InferenceGraph controllers sum their health up in."""
    condition = {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": "2025-01-01T00:00:00Z"}
    if not ready:
        condition["reason"] = reason
    return {"observedGeneration": 1, "conditions": [condition]}


def deployment_status(replicas: int = 1, available: int | None = None) -> dict:
    available = replicas if available is None else available
    return {"observedGeneration": 1, "replicas": replicas, "updatedReplicas": replicas, "readyReplicas": available,
            "availableReplicas": available,
            "conditions": [{"type": "Available", "status": "True" if available >= replicas else "False",
                            "reason": "MinimumReplicasAvailable"},
                           {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]}
