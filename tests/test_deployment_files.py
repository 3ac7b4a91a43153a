"""The container files and systemd units: every command they run is one ``ar-agent``
accepts, the image and the units run as an unprivileged user, nothing secret or bulky goes
into the build context, and compose publishes ports on the loopback interface only."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def _parses(argv: list[str]) -> str:
    args = build_parser().parse_args(argv)
    assert getattr(args, "func", None), argv
    return str(args.command)


def test_compose_runs_the_web_process_the_worker_postgres_and_mailpit(compose):
    services = compose["services"]
    assert {"app", "worker", "postgres", "mailpit", "demo-seed"} <= set(services)
    app, worker = services["app"], services["worker"]
    assert _parses(app["command"]) == "serve" and "--no-worker" in app["command"]
    assert _parses(worker["command"]) == "worker"
    assert _parses(services["demo-seed"]["command"]) == "demo"
    assert services["demo-seed"]["profiles"] == ["demo"]
    env = app["environment"]
    assert env["AR_AGENT_DATABASE_URL"].startswith("postgresql://")
    assert env["AR_AGENT_SMTP_URL"] == "smtp://mailpit:1025"
    assert app["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert worker["environment"] == env  # one configuration for both processes


def test_compose_publishes_ports_on_loopback_only(compose):
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)


def test_dockerfile_is_multi_stage_non_root_and_runs_ar_agent():
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", text, re.M)
    assert len(stages) == 2 and stages[0][1] == "build"
    runtime = text.split("FROM python:3.11-slim AS runtime", 1)[1]
    user = re.findall(r"^USER\s+(\S+)", runtime, re.M)
    assert user == ["ar"]
    assert "requirements.lock" in text
    assert re.search(r'^ENTRYPOINT \["ar-agent"\]', text, re.M)
    cmd = re.search(r"^CMD (\[.*\])$", text, re.M)
    assert cmd and _parses(yaml.safe_load(cmd.group(1))) == "serve"
    health = re.search(r"^\s+CMD \[(.*)\]$", text, re.M)
    assert health and "/healthz" in health.group(1)


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".env", ".venv", ".git", "*.db", "tests"} <= ignored
    assert "README.md" not in ignored and "pyproject.toml" not in ignored


def test_readme_documents_the_compose_command():
    readme = (ROOT / "README.md").read_text()
    header = (ROOT / "compose.yaml").read_text().splitlines()[:4]
    command = next(line.strip("# ").strip() for line in header if "docker compose" in line)
    assert command in readme
    assert shlex.split(command)[-3:] == ["demo", "up", "--build"]


@pytest.mark.parametrize(
    ("unit", "command"),
    [("ar-agent-web.service", "serve"), ("ar-agent-worker.service", "worker")],
)
def test_systemd_units_run_ar_agent_unprivileged(unit, command):
    text = (ROOT / "deploy" / "systemd" / unit).read_text()
    fields = dict(
        line.split("=", 1) for line in text.splitlines() if "=" in line and line[0] not in "#;"
    )
    argv = shlex.split(fields["ExecStart"])
    assert argv[0] == "/opt/ar-agent/bin/ar-agent"
    assert _parses(argv[1:]) == command
    assert fields["User"] == "ar-agent" and fields["NoNewPrivileges"] == "yes"
    if command == "serve":
        assert "--no-worker" in argv and argv[argv.index("--host") + 1] == "127.0.0.1"
