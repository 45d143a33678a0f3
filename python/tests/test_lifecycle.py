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


FAKE_SERVE = '''
import json, os, signal, sys
# A stand-in for `kube-auth-mock serve`: writes the ready line it is given (with "pid" set to the VICTIM pid), then
# behaves as MODE says: "stdin" stops at end-of-file, "stubborn" ignores that and SIGTERM.
args = sys.argv[1:]
ready_file = args[args.index("--ready-file") + 1]
with open(os.environ["FAKE_PIDFILE"], "w") as f:
    f.write(str(os.getpid()))
ready = json.loads(os.environ["FAKE_READY"])
if "VICTIM" in os.environ:
    ready["pid"] = int(os.environ["VICTIM"])
with open(ready_file, "w") as f:
    f.write(json.dumps(ready) + "\\n")
if os.environ["MODE"] == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        signal.pause()
sys.stdin.read()
'''

GOOD_READY = {"ready": True, "url": "https://127.0.0.1:1", "caFile": "ca.crt", "pkiDir": "pki", "kubeconfigs": {"admin": "admin.kubeconfig"}}


def fake_serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, ready: object = GOOD_READY) -> List[str]:
    script = tmp_path / "fake_serve.py"
    script.write_text(FAKE_SERVE)
    monkeypatch.setenv("FAKE_PIDFILE", str(tmp_path / "fake.pid"))
    monkeypatch.setenv("FAKE_READY", json.dumps(ready))
    monkeypatch.setenv("MODE", mode)
    return [sys.executable, str(script)]


def test_stop_never_signals_a_pid_the_ready_line_names_outside_what_it_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Under docker or `unshare --pid` the server's own pid is 1 or any number: here, that is some other process.
    victim = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        monkeypatch.setenv("VICTIM", str(victim.pid))
        server = KubeAuthMock.start(tmp_path / "work", command=fake_serve(tmp_path, monkeypatch, "stdin"))
        assert server.pid != victim.pid

        assert server.stop() == 0

        assert victim.poll() is None
    finally:
        victim.communicate(b"")


def test_stop_through_a_wrapper_that_runs_the_server_as_its_child(tmp_path: Path) -> None:
    # `; exit $?` keeps the shell from replacing itself with the server: the ready line names a grandchild.
    command = ["sh", "-c", '"$@"; exit $?', "sh", *find_command()]
    server = KubeAuthMock.start(tmp_path, command=command)
    assert server.pid in processes_mentioning(str(tmp_path))

    assert server.stop() == 0

    assert gone(server.pid)
    assert processes_mentioning(str(tmp_path)) == []


def test_a_server_deaf_to_stdin_and_sigterm_is_killed_and_stop_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = KubeAuthMock.start(tmp_path / "work", command=fake_serve(tmp_path, monkeypatch, "stubborn"))

    with pytest.raises(KubeAuthMockError, match=r"did not stop within 1s of its stdin closing, nor of SIGTERM: killed it"):
        server.stop(timeout=1)

    assert gone(int((tmp_path / "fake.pid").read_text()))


@pytest.mark.parametrize("ready, problem", [
    ({"ready": True, "url": "https://127.0.0.1:1"}, "lacks caFile, pkiDir, kubeconfigs.admin"),
    (["ready"], "is not a JSON object"),
])
def test_a_bad_ready_line_is_one_line_and_leaves_no_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ready: object, problem: str) -> None:
    with pytest.raises(KubeAuthMockError) as err:
        KubeAuthMock.start(tmp_path / "work", command=fake_serve(tmp_path, monkeypatch, "stubborn", ready))
    assert problem in str(err.value)
    assert "\n" not in str(err.value)
    assert gone(int((tmp_path / "fake.pid").read_text()))


def test_a_command_that_is_not_executable_is_named(tmp_path: Path) -> None:
    not_executable = tmp_path / "kube-auth-mock"
    not_executable.write_text("#!/bin/sh\n")
    with pytest.raises(KubeAuthMockError, match=rf"^cannot run {re.escape(str(not_executable))}: Permission denied$"):
        KubeAuthMock.start(tmp_path / "work", command=[str(not_executable)])


def test_a_bare_name_in_the_environment_variable_is_found_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_ = tmp_path / "kube-auth-mock"
    bin_.write_text("#!/bin/sh\n")
    bin_.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv(BIN_ENV, "kube-auth-mock")
    assert find_command() == [str(bin_)]
    monkeypatch.setenv(BIN_ENV, "kube-auth-mock-nowhere")
    with pytest.raises(KubeAuthMockError, match=rf"^{BIN_ENV}=kube-auth-mock-nowhere is not a file nor a command on PATH$"):
        find_command()


CRASH = '''
import os, signal
import pytest
from kube_auth_mock import KubeAuthMockError

def test_the_server_dies(kube_auth_mock):
    os.kill(kube_auth_mock.pid, signal.SIGKILL)
    with pytest.raises(KubeAuthMockError, match=r"^kube-auth-mock has exited, with code -9:"):
        kube_auth_mock.kubeconfig(user="jane")
    with pytest.raises(KubeAuthMockError, match=r"^kube-auth-mock has exited, with code -9:"):
        kube_auth_mock.apply("apiVersion: v1\\nkind: Namespace\\nmetadata: {name: a}\\n")
'''


def test_a_server_that_crashed_is_named_by_the_calls_after_and_fails_the_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_crash=CRASH)

    result = pytester.runpytest("-p", "kube_auth_mock.plugin")

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_the_server_dies*", "*kube-auth-mock exited with code -9:*"])
    result.stdout.no_fnmatch_line("*Traceback*")
