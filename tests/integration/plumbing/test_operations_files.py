"""What operations looks at holds to what the services expose: every dashboard panel's and
alert's query names metrics and labels the services really have (and parses, by promtool's
own parser), the alert rules pass their unit tests, and every counter is there from the
start, at zero."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from services import NAMES, spec
from shared.app import create_service_app
from shared.settings import ServiceSettings, load_settings

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
DASHBOARDS = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
RULES = DEPLOY / "prometheus" / "alerts.yml"
SCRAPED = {"job", "instance", "le"}  # labels Prometheus and histograms add
METRIC = re.compile(r"\b(irp_[a-z_]+|up)\b(?=\s*[{\[)]|\s*$|\s)")
GROUPED = re.compile(r"\bby\s*\(([^)]*)\)")
SELECTED = re.compile(r"([a-z_]+)\s*(?:=~|!=|!~|=)\s*\"")


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, list[dict[str, str]]]:
    """Each sample of every service's /metrics right after its start: name -> label sets."""
    found: dict[str, list[dict[str, str]]] = {"up": [{"job": "irp", "instance": "x"}]}
    provider = {"jwt_secret": "", "oidc_issuer": "http://127.0.0.1:9/not-asked-before-start"}
    for service, mode in [*((s, {"jwt_secret": "x" * 40}) for s in NAMES), ("visits", provider)]:
        folder = tmp_path_factory.mktemp(service)
        settings = load_settings(service, database_url=f"sqlite:///{folder}/db.sqlite", **mode)
        text = TestClient(create_service_app(spec(service), settings)).get("/metrics").text
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                found.setdefault(sample.name, []).append(sample.labels)
    return found


@pytest.fixture(scope="module")
def exposed(samples) -> dict[str, set[str]]:
    """Each exposed sample name with the label names it carries."""
    return {name: {k for labels in sets for k in labels} for name, sets in samples.items()}


def _queries() -> list[tuple[str, str]]:
    """(where, expression) of every dashboard panel and alert rule."""
    found = []
    for board in DASHBOARDS:
        for panel in json.loads(board.read_text())["panels"]:
            for target in panel["targets"]:
                found.append((f"{board.name}: {panel['title']}", target["expr"]))
    for group in yaml.safe_load(RULES.read_text())["groups"]:
        for rule in group["rules"]:
            found.append((f"alerts.yml: {rule['alert']}", rule["expr"]))
    return found


def test_every_dashboard_and_alert_query_names_exposed_metrics_and_labels(exposed):
    assert len(DASHBOARDS) == 1 + len(NAMES)  # the overview and one per service
    problems = []
    for where, expr in _queries():
        metrics = set(METRIC.findall(expr))
        if not metrics:
            problems.append(f"{where}: names no metric")
        labels = set().union(*(exposed.get(m, set()) for m in metrics)) | SCRAPED
        problems += [f"{where}: {m} is not exposed" for m in metrics if m not in exposed]
        used = {name.strip() for group in GROUPED.findall(expr) for name in group.split(",")}
        used |= set(SELECTED.findall(expr))
        problems += [f"{where}: no metric of it has the label {u}" for u in used - labels - {""}]
    assert not problems, "\n".join(problems)


def test_every_counter_is_exposed_at_zero_from_the_start(samples):
    def services_with(name: str) -> set[str]:
        return {labels["service"] for labels in samples.get(name, [])}

    everyone = set(NAMES)
    assert services_with("irp_http_requests_total") == everyone  # each route's 5xx series
    routes = {labels["route"] for labels in samples["irp_http_requests_total"]}
    for route in ("/v1/visits/{visit_id}", "/v1/obligations", "/v1/holders", "/v1/reports/trend"):
        assert route in routes, route
    assert services_with("irp_http_request_duration_seconds_bucket") == everyone
    producers = services_with("irp_events_published_total")
    assert producers == {"visits", "agreements", "passports", "directory", "notifications"}
    for name in ("irp_publish_failures_total", "irp_relay_is_leader"):
        assert services_with(name) == producers, name
    consumers = services_with("irp_consumer_dead_lettered_total")
    assert "reporting" in consumers
    for name in ("irp_consumer_retries_total", "irp_consumer_duplicates_skipped_total"):
        assert services_with(name) == consumers, name


def _promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        if os.environ.get("REQUIRE_PROMTOOL") == "1":
            pytest.fail("REQUIRE_PROMTOOL=1 but promtool is not installed")
        pytest.skip("promtool is not installed (Debian's prometheus package has it)")
    return found


def test_the_alert_rules_pass_their_unit_tests():
    promtool = _promtool()
    checked = subprocess.run(
        [promtool, "check", "rules", str(RULES)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = subprocess.run(
        [promtool, "test", "rules", str(DEPLOY / "prometheus" / "alerts.test.yml")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_dashboard_query_parses_as_promql(tmp_path):
    """promtool parses every panel's expression, each written as a recording rule."""
    promtool = _promtool()
    rules = [
        {"record": f"irp:dashboard_check:{index}", "expr": expr}
        for index, (where, expr) in enumerate(_queries())
        if not where.startswith("alerts.yml")
    ]
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}))
    checked = subprocess.run(
        [promtool, "check", "rules", str(path)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _manifests() -> list[dict]:
    folder = DEPLOY / "kubernetes"
    return [
        doc
        for path in sorted(folder.glob("*.yaml"))
        if path.name != "kustomization.yaml"
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    ]


def _containers(kind: str) -> dict[str, dict]:
    return {
        doc["metadata"]["name"]: doc["spec"]["template"]["spec"]["containers"][0]
        for doc in _manifests()
        if doc["kind"] == kind
    }


def test_the_kubernetes_manifests_probe_health_as_the_services_define_it():
    deployments, jobs = _containers("Deployment"), _containers("Job")
    budgets = {d["metadata"]["name"] for d in _manifests() if d["kind"] == "PodDisruptionBudget"}
    for service in NAMES:
        api = deployments[service]
        assert api["readinessProbe"]["httpGet"]["path"] == "/health/ready"  # its database
        assert api["livenessProbe"]["httpGet"]["path"] == "/health/live"  # the process
        assert jobs[f"{service}-migrate"]["command"] == ["irp", "migrate", service]
        assert service in budgets
    for service in ("visits", "agreements", "passports"):
        relay = deployments[f"{service}-relay"]
        assert relay["command"] == ["irp", "worker", service]
        port = {e["name"]: e.get("value") for e in relay["env"]}["IRP_WORKER_METRICS_PORT"]
        assert int(port) == relay["ports"][0]["containerPort"]
        assert relay["livenessProbe"]["httpGet"]["path"] == "/metrics"
        assert f"{service}-relay" in budgets


def test_every_setting_the_deployment_files_give_is_one_the_services_read():
    fields = {f"IRP_{name.upper()}" for name in ServiceSettings.model_fields}
    given = {key for doc in _manifests() if doc["kind"] == "ConfigMap" for key in doc["data"]}
    given |= {e["name"] for c in _containers("Deployment").values() for e in c["env"]}
    given |= {e["name"] for c in _containers("Job").values() for e in c["env"]}
    compose = yaml.safe_load((DEPLOY.parent / "docker-compose.yml").read_text())
    for service in compose["services"].values():
        environment = service.get("environment") or {}
        given |= {k for k in environment if k.startswith("IRP_")}
    assert given and given <= fields, given - fields
