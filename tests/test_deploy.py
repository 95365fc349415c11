"""The deploy files are checked as far as this machine allows: the systemd unit with
`systemd-analyze verify` (skipped when the tool is absent), the container and compose files
statically, since there is no docker engine here. Both stop the bot with SIGTERM, which
tests/test_cli.py and tests/test_restart.py show it handles cleanly."""

import shlex
import shutil
import subprocess
from configparser import ConfigParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of deploy/Dockerfile, continuation lines joined."""
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def unit() -> ConfigParser:
    parser = ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / "warta.service").read_text())
    return parser


def test_the_container_runs_as_a_non_root_user_on_a_slim_python():
    steps = dockerfile()
    base = [args for op, args in steps if op == "FROM"]
    assert len(base) == 1 and base[0].startswith("python:3.11-slim")
    users = [args for op, args in steps if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert [op for op, _ in steps][-1] == "CMD"
    assert steps.index(("USER", users[-1])) < [op for op, _ in steps].index("CMD")


def test_the_container_keeps_the_database_in_a_volume():
    steps = dict((op, args) for op, args in dockerfile() if op in ("VOLUME", "ENV"))
    assert '"/data"' in steps["VOLUME"]
    assert "DATABASE_PATH=/data/warta.db" in steps["ENV"]


def test_every_file_the_container_copies_exists():
    copies = [shlex.split(args) for op, args in dockerfile() if op == "COPY"]
    assert copies
    for parts in copies:
        for source in parts[:-1]:
            assert (ROOT / source).exists(), f"COPY {source}: no such file in the project"
    # The image installs only what running needs.
    installs = [args for op, args in dockerfile() if op == "RUN" and "pip install" in args]
    assert installs and all("requirements.txt" in a and "-dev" not in a for a in installs)
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text()
    for parts in copies:
        for source in parts[:-1]:
            assert f"!{source.rstrip('/')}" in ignored, f"{source} excluded from the context"


def test_the_container_checks_its_health_with_doctor_and_stops_on_sigterm():
    steps = dockerfile()
    health = [args for op, args in steps if op == "HEALTHCHECK"]
    assert len(health) == 1 and '"main.py", "doctor", "--service"' in health[0]
    assert ("STOPSIGNAL", "SIGTERM") in steps
    assert ("CMD", '["python", "main.py", "run"]') in steps


def test_the_compose_file_builds_the_image_with_a_volume_and_sigterm():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    service = compose["services"]["warta"]
    context = (DEPLOY / service["build"]["context"]).resolve()
    assert context == ROOT and (context / service["build"]["dockerfile"]).is_file()
    assert service["stop_signal"] == "SIGTERM"
    # Longer than the 10 s the bot waits for messages in flight.
    assert int(service["stop_grace_period"].rstrip("s")) > 10
    volume, mount = service["volumes"][0].split(":")
    assert mount == "/data" and volume in compose["volumes"]
    assert service["environment"]["DATABASE_PATH"].startswith("/data/")
    assert service["restart"] == "unless-stopped"
    assert (DEPLOY / service["env_file"]).resolve() == ROOT / ".env"


def test_the_systemd_unit_runs_hardened_as_its_own_user():
    service = unit()["Service"]
    assert service["User"] == "warta" and service["Restart"] == "on-failure"
    assert service["StateDirectory"] == "warta"
    assert service["KillSignal"] == "SIGTERM"
    assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "yes"
    assert service["ProtectHome"] == "yes" and service["PrivateTmp"] == "yes"
    assert service["CapabilityBoundingSet"] == ""
    assert "main.py run" in service["ExecStart"]
    # The database goes where StateDirectory= lets the hardened service write.
    assert "DATABASE_PATH=/var/lib/warta/" in (DEPLOY / "warta.service").read_text()


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here"
)
@pytest.mark.slow
def test_systemd_analyze_verifies_the_unit(tmp_path):
    # The unit names /opt/warta, where the README installs Warta; here the project and its
    # .venv stand in for it, so verify can check that ExecStart= is executable.
    python = ROOT / ".venv" / "bin" / "python"
    if not python.exists():
        pytest.skip("no .venv here: run make venv")
    copy = tmp_path / "warta.service"
    copy.write_text((DEPLOY / "warta.service").read_text().replace("/opt/warta", str(ROOT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    # Warnings (an unknown or misspelt key) count too.
    assert "warta.service" not in result.stderr, result.stderr
