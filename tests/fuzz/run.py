"""``make fuzz``: schemathesis against every service's OpenAPI, over real HTTP.

Each service runs under ``irp serve`` (SQLite, the embedded broker) and schemathesis sends it
generated valid and invalid requests, with a token carrying every scope. A run fails on any
5xx, any answer that does not match the documented schema, and any request accepted without
the authentication the operation requires (schemathesis repeats each request without it),
and any status, content type or header the document does not state.
Bounded: ``IRP_FUZZ_EXAMPLES`` cases per operation and phase (default 40).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from services import NAMES
from shared.auth import SCOPES, issue_token
from shared.embedded_broker import EmbeddedBroker
from shared.settings import load_settings
from tests.harness import served

CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",  # every status answered is documented
        "content_type_conformance",  # in the documented media type
        "response_headers_conformance",  # with the documented headers (ETag, Location...)
        "response_schema_conformance",
        "ignored_auth",
    )
)
SECRET = "fuzz-secret-" + "z" * 40


def _fuzz(url: str, token: str, examples: int) -> dict[str, int]:
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{url}/openapi.json",
        "--checks", CHECKS,
        "--header", f"Authorization: Bearer {token}",
        "--max-examples", str(examples),
        "--phases", "examples,coverage,fuzzing,stateful",  # stateful: along the links
        "--seed", os.environ.get("IRP_FUZZ_SEED", "20261125"),
        "--workers", "1",  # hypothesis + threads hit a CPython 3.11 ast bug
        "--request-timeout", "30",
        "--suppress-health-check", "all",
        "--output-truncate", "true",
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True)
    print(finished.stdout[-8000:], finished.stderr[-2000:], sep="\n", flush=True)
    return {"exit": finished.returncode, **_counts(finished.stdout)}


def _counts(output: str) -> dict[str, int]:
    """Operations tested and cases run, as schemathesis's summary states them."""
    counts = {}
    if found := re.search(r"Tested: (\d+)", output):
        counts["operations"] = int(found.group(1))
    for number, what in re.findall(r"(\d+) (generated|passed|failed|errored|skipped)", output):
        counts[what] = int(number)
    return counts


def _show_unhandled(log: Path) -> None:
    """The service's own account of its 500s: error type and where (never values)."""
    for line in log.read_text(errors="replace").splitlines():
        if "unhandled error" in line:
            print("  service log:", line[:3000])


def main() -> None:
    examples = int(os.environ.get("IRP_FUZZ_EXAMPLES", "40"))
    with tempfile.TemporaryDirectory(prefix="irp-fuzz-") as folder:
        var = Path(folder)
        broker = EmbeddedBroker(log_path=var / "broker.log").start()
        token = issue_token(load_settings("cli", jwt_secret=SECRET), "fuzzer", list(SCOPES), 3600)
        env = {
            **os.environ,
            "IRP_VAR_DIR": str(var),
            "IRP_JWT_SECRET": SECRET,
            "IRP_KAFKA_BOOTSTRAP": broker.bootstrap,
            "IRP_LOG_LEVEL": "WARNING",  # unhandled errors are logged at ERROR
        }
        results = {}
        try:
            with served(NAMES, env, var) as services:
                for name, service in services.items():
                    print(f"=== {name} ===", flush=True)
                    results[name] = _fuzz(service.url, token, examples)
                    if results[name]["exit"] != 0:
                        _show_unhandled(service.log_path)
        finally:
            broker.stop()
    print("\nfuzzing summary (operations tested; cases generated, passed, failed):")
    for name, c in results.items():
        print(
            f"  {name:<11} {c.get('operations', 0):3} operations  {c.get('generated', 0):5} cases"
            f"  {c.get('passed', 0):5} passed  {c.get('failed', 0)} failed  exit {c['exit']}"
        )
    if any(c.get("exit") != 0 for c in results.values()):
        raise SystemExit("fuzzing found failures (above)")


if __name__ == "__main__":
    main()
