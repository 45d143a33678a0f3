"""No server outlives what started it: the fixtures stop theirs, and a Python process killed with SIGKILL leaves
none behind (the server sees its stdin close). Also: what a user is told when the binary is missing or start fails."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, List

import pytest

from kube_auth_mock import BIN_ENV, KubeAuthMockError, KubeAuthMock, find_command

README = Path(__file__).resolve().parent.parent / "README.md"


def gone(pid: int) -> bool:
    """The process has exited: no such process, or a zombie nobody has reaped yet (it is dead all the same)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    except OSError:  # no /proc: ask the kernel directly
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still not true after {timeout:g}s")
        time.sleep(0.05)


def processes_mentioning(text: str) -> List[int]:
    """Live processes whose command line contains text (the servers a pytest run started under its temp folder)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().decode(errors="replace") and not gone(int(entry.name)):
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


RECORD_PIDS = '''
from pathlib import Path

def test_function_server(kube_auth_mock):
    with open("pids", "a") as f:
        f.write(f"{kube_auth_mock.pid}\\n")

def test_session_server(kube_auth_mock_session):
    with open("pids", "a") as f:
        f.write(f"{kube_auth_mock_session.pid}\\n")
'''


def test_the_readme_example_passes_and_the_fixtures_leave_no_server(pytester: pytest.Pytester) -> None:
    example = re.search(r"```python\n(.*?)```", README.read_text(), re.S)
    assert example, f"{README} has no python code block"
    pytester.makepyfile(test_readme_example=example.group(1), test_record_pids=RECORD_PIDS)

    # -p names the plugin whether it is installed (the entry point has the module's name) or only on PYTHONPATH.
    result = pytester.runpytest("-p", "kube_auth_mock.plugin")

    result.assert_outcomes(passed=len(re.findall(r"^def test_", example.group(1), re.M)) + 2)
    pids = [int(p) for p in (pytester.path / "pids").read_text().split()]
    assert len(pids) == 2 and pids[0] != pids[1]
    assert [p for p in pids if not gone(p)] == []
    assert processes_mentioning(str(pytester.path)) == []


KILLED_SCRIPT = '''
import json, sys
from kube_auth_mock import KubeAuthMock
server = KubeAuthMock.start(sys.argv[1])
print(json.dumps({"pid": server.pid}), flush=True)
sys.stdin.read()  # holds the server until this process is killed
'''


def test_sigkill_of_the_python_process_that_started_a_server_leaves_no_server(tmp_path: Path) -> None:
    script = tmp_path / "start_and_wait.py"
    script.write_text(KILLED_SCRIPT)
    starter = subprocess.Popen([sys.executable, str(script), str(tmp_path / "server")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = starter.stdout.readline() if starter.stdout else ""
        assert line, f"the script printed no pid: {starter.communicate()[1]}"
        server_pid = json.loads(line)["pid"]
        assert not gone(server_pid)
    finally:
        starter.send_signal(signal.SIGKILL)
        starter.wait()

    wait_until(lambda: gone(server_pid), f"server {server_pid} has exited after its starter was killed")


def test_a_server_that_cannot_start_raises_with_its_message(tmp_path: Path) -> None:
    with pytest.raises(KubeAuthMockError) as err:
        KubeAuthMock.start(tmp_path, args=["--authorization-mode", "Sometimes"])
    assert "exited with code" in str(err.value)
    assert "Sometimes" in str(err.value)


def test_stop_is_clean_and_idempotent(tmp_path: Path) -> None:
    server = KubeAuthMock.start(tmp_path)
    assert server.stop() == 0
    assert server.stop() == 0
    assert gone(server.pid)


def test_a_missing_binary_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BIN_ENV)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(KubeAuthMockError, match=r"npm install --save-dev kube-auth-mock"):
        find_command(tmp_path)


def test_a_checkout_without_dist_says_to_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BIN_ENV)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    (tmp_path / "package.json").write_text('{"name": "kube-auth-mock"}')
    (tmp_path / "tests").mkdir()
    with pytest.raises(KubeAuthMockError, match=r"is not built: run `npm run build` there"):
        find_command(tmp_path / "tests")


def test_the_fixture_fails_with_the_reason_when_there_is_no_server_to_start(pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile("def test_needs_a_server(kube_auth_mock):\n    pass\n")
    monkeypatch.setenv(BIN_ENV, str(tmp_path / "missing" / "kube-auth-mock"))

    result = pytester.runpytest("-p", "kube_auth_mock.plugin")

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*{BIN_ENV}={tmp_path}/missing/kube-auth-mock is not a file*"])
    result.stdout.no_fnmatch_line("*Traceback*")
