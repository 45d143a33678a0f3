"""Starting, using and stopping a kube-auth-mock server through its CLI, as a test suite in any language would."""
from __future__ import annotations

import copy
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Literal, Optional, Sequence, Tuple, Union

import yaml

from ._api import KubeconfigClient

Auth = Literal["token", "cert", "basic"]
PathLike = Union[str, "os.PathLike[str]"]

BIN_ENV = "KUBE_AUTH_MOCK_BIN"
"""Environment variable naming the kube-auth-mock executable (or its dist/cli/main.js, run with node)."""

_POLL = 0.02  # seconds between checks of a condition; every wait also has an overall timeout


class KubeAuthMockError(RuntimeError):
    """The server could not be found, started, stopped, or asked to do something."""


def find_command(start: Optional[PathLike] = None) -> List[str]:
    """The command that runs the kube-auth-mock CLI.

    In order: $KUBE_AUTH_MOCK_BIN; walking up from ``start`` (the current directory), a node_modules/.bin/kube-auth-mock
    or a checkout of kube-auth-mock itself (its dist/cli/main.js, run with node); kube-auth-mock on PATH.
    """
    env = os.environ.get(BIN_ENV)
    if env:
        # A bare name (KUBE_AUTH_MOCK_BIN=kube-auth-mock) is looked up on PATH, as a shell would.
        found = shutil.which(env) if os.sep not in env else None
        path = Path(found or env).expanduser().resolve()
        if not path.is_file():
            raise KubeAuthMockError(f"{BIN_ENV}={env} is not a file" + ("" if os.sep in env else " nor a command on PATH"))
        return _command_for(path)
    here = Path(start or Path.cwd()).resolve()
    unbuilt: Optional[Path] = None
    for d in (here, *here.parents):
        bin_ = d / "node_modules" / ".bin" / "kube-auth-mock"
        if bin_.is_file():
            return [str(bin_)]
        if _is_checkout(d):
            main = d / "dist" / "cli" / "main.js"
            if main.is_file():
                return _command_for(main)
            unbuilt = unbuilt or d
    on_path = shutil.which("kube-auth-mock")
    if on_path:
        return [on_path]
    if unbuilt:
        raise KubeAuthMockError(f"kube-auth-mock at {unbuilt} is not built: run `npm run build` there")
    raise KubeAuthMockError(
        "kube-auth-mock not found: install it with `npm install --save-dev kube-auth-mock` in this project "
        f"(or a parent folder) or `npm install -g kube-auth-mock`, or set {BIN_ENV} to its executable"
    )


def _is_checkout(d: Path) -> bool:
    try:
        return bool(json.loads((d / "package.json").read_text()).get("name") == "kube-auth-mock")
    except (OSError, ValueError, AttributeError):
        return False


def _command_for(path: Path) -> List[str]:
    # dist/cli/main.js has a shebang but no execute bit until npm links it: run it with node.
    if path.suffix in (".js", ".mjs", ".cjs"):
        node = shutil.which("node")
        if not node:
            raise KubeAuthMockError(f"node is not on PATH, and {path} needs it")
        return [node, str(path)]
    return [str(path)]


class KubeAuthMock:
    """A running kube-auth-mock server with its own fresh PKI folder."""

    def __init__(self, command: Sequence[str], workdir: Path, process: "subprocess.Popen[bytes]", ready: Dict[str, Any], auth_files: Sequence[str] = ()) -> None:
        self._command = list(command)
        self._process = process
        self._auth_files = list(auth_files)
        self._minted = 0
        self._admin_client: Optional[KubeconfigClient] = None
        self._resources: Dict[str, List[Dict[str, Any]]] = {}
        self.workdir: Path = workdir
        """The server's working folder: pki/, kubeconfigs/, server.log."""
        self.url: str = ready["url"]
        """The server's https:// URL on 127.0.0.1."""
        self.ca_file: str = ready["caFile"]
        """The CA that signed the serving certificate (and the client certificates it accepts)."""
        self.pki_dir: str = ready["pkiDir"]
        self.admin_kubeconfig: str = ready["kubeconfigs"]["admin"]
        """A kubeconfig of the admin user (client certificate, group system:masters)."""
        named = ready.get("pid")
        self.pid: int = named if isinstance(named, int) and _is_descendant(named, process.pid) else process.pid
        """The server's own process id: the one the ready line names when that is the process started or one it
        started (a wrapper such as a shell may run the server as its child); otherwise (a pid in another pid
        namespace, as under docker or unshare) the process started."""

    @classmethod
    def start(cls, workdir: PathLike, args: Sequence[str] = (), command: Optional[Sequence[str]] = None, timeout: float = 60.0) -> "KubeAuthMock":
        """Starts ``kube-auth-mock serve`` on a free port with a fresh PKI folder in ``workdir``.

        ``args`` are more serve flags (e.g. ``["--authorization-mode", "RBAC,AlwaysDeny"]``). The server runs in
        ``workdir`` so that relative defaults (a ./policies folder) are not picked up from the test's directory;
        relative paths in ``args`` are relative to it too. With ``--token-auth-file`` or ``--basic-auth-file``,
        :meth:`kubeconfig` mints its users into that file.
        """
        command = list(command) if command else find_command()
        work = Path(workdir).resolve()
        work.mkdir(parents=True, exist_ok=True)
        ready_file, log_file = work / "ready.json", work / "server.log"
        ready_file.unlink(missing_ok=True)  # a folder used before holds the last server's ready line
        argv = [*command, "serve", "--secure-port", "0", "--pki-dir", str(work / "pki"), "--ready-file", str(ready_file), "--exit-with-parent", *args]
        # stdin is a pipe only this process holds: when it dies, even by SIGKILL, the server sees end-of-file and
        # stops. The log goes to a file, since a pipe nobody reads would block the server once it is full.
        with open(log_file, "wb") as log:
            try:
                process = subprocess.Popen(argv, cwd=work, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
            except OSError as err:
                raise KubeAuthMockError(f"cannot run {command[0]}: {err.strerror or err}") from None
        try:
            deadline = time.monotonic() + timeout
            while True:
                ready = _read_ready(ready_file)
                if ready is not None:
                    return cls(command, work, process, ready, _auth_file_flags(args, work))
                code = process.poll()
                if code is not None:
                    raise KubeAuthMockError(f"kube-auth-mock serve exited with code {code} before it was ready:\n{_tail(log_file)}")
                if time.monotonic() > deadline:
                    raise KubeAuthMockError(f"kube-auth-mock serve was not ready after {timeout:g}s:\n{_tail(log_file)}")
                time.sleep(_POLL)
        except BaseException:
            # Whatever went wrong (a bad ready line, a timeout, Ctrl-C), the server must not outlive this call.
            if process.poll() is None:
                process.kill()
            _close_stdin(process)  # what a killed wrapper started sees end-of-file and stops too
            process.wait()
            raise

    @property
    def log_file(self) -> Path:
        """The server's stdout and stderr (one line per request)."""
        return self.workdir / "server.log"

    def kubeconfig(self, user: str, groups: Iterable[str] = (), uid: Optional[str] = None, auth: Auth = "token", timeout: float = 30.0) -> str:
        """Mints an identity and returns the path of a kubeconfig that authenticates as it.

        ``auth="token"`` (or ``"basic"``) adds a line to the server's static token (password) file; minting the same
        user again replaces that line, so the user's older kubeconfig stops working. The server reloads the file on
        its own, so this waits until the server authenticates the new credentials. ``auth="cert"`` is a client
        certificate signed by the server's CA: it works at once, and older ones keep working.
        """
        if auth not in ("token", "cert", "basic"):
            raise ValueError(f'auth must be "token", "cert" or "basic", not {auth!r}')
        if isinstance(groups, str):  # a lone group name would otherwise be minted as one group per character
            groups = (groups,)
        self._raise_if_exited()
        self._minted += 1
        out = self.workdir / "kubeconfigs" / f"{re.sub(r'[^A-Za-z0-9._-]', '_', user)}-{auth}-{self._minted}.kubeconfig"
        out.parent.mkdir(exist_ok=True)
        argv = [*self._command, "kubeconfig", "--user", user, "--auth", auth, "--pki-dir", self.pki_dir, "--server", self.url, "-o", str(out), *self._auth_files]
        for g in groups:
            argv += ["--group", g]
        if uid is not None:
            argv += ["--uid", uid]
        done = subprocess.run(argv, cwd=self.workdir, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise KubeAuthMockError(f"kube-auth-mock kubeconfig --user {user} failed: {done.stderr.strip()}")
        if auth != "cert":
            self._wait_authenticated(str(out), user, timeout)
        return str(out)

    def _wait_authenticated(self, kubeconfig: str, user: str, timeout: float) -> None:
        # Until the server has reloaded its token file the new token is unknown: 401. A SelfSubjectReview names the
        # user once it is known; a 403 also means it authenticated (an authorizer that denies even that review).
        client = KubeconfigClient(kubeconfig)
        review = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
        deadline = time.monotonic() + timeout
        while True:
            status, body = self._request(client, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", review)
            if status == 403:
                return
            if status in (200, 201):
                name = body["status"]["userInfo"]["username"]
                if name == user:
                    return
                raise KubeAuthMockError(f"the kubeconfig minted for {user} authenticates as {name}")
            if status != 401:
                raise KubeAuthMockError(f"SelfSubjectReview as {user} answered {status}: {_message(body)}")
            if time.monotonic() > deadline:
                raise KubeAuthMockError(f"the server did not accept {user}'s new credentials within {timeout:g}s")
            time.sleep(_POLL)

    def apply(self, yaml_text: str) -> List[Dict[str, Any]]:
        """Creates or replaces each object of a YAML stream (namespaces, Roles, RoleBindings, ServiceAccounts, ...)
        as the admin, and returns the objects as the server stored them. Namespaced objects without a namespace go
        to ``default``; a ``kind: List`` is applied item by item. What the server sets (resourceVersion, uid,
        creationTimestamp, managedFields) is dropped first, so the output of ``kubectl get -o yaml`` applies."""
        self._raise_if_exited()
        results = []
        for index, obj in enumerate(_objects(yaml_text), 1):
            kind, name = obj.get("kind"), (obj.get("metadata") or {}).get("name")
            if not kind or not name or not obj.get("apiVersion") or not isinstance(obj.get("metadata"), dict):
                # Neither the object nor its name: it may be a Secret, and this message lands in test reports.
                raise KubeAuthMockError(f"apply: object {index} (kind {kind or '(none)'}) needs apiVersion, kind and metadata.name")
            obj = copy.deepcopy(obj)
            for field in _SERVER_SET:
                obj["metadata"].pop(field, None)
            collection = self._collection(obj)
            status, body = self._request(self._admin(), "POST", collection, obj)
            # AlreadyExists: replace it, with the resourceVersion it has now. Create-or-replace, not kubectl apply's
            # merge: fields the manifest leaves out are gone afterwards.
            if status == 409:
                status, current = self._request(self._admin(), "GET", f"{collection}/{name}")
                if status == 200:
                    obj["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
                    status, body = self._request(self._admin(), "PUT", f"{collection}/{name}", obj)
            if status >= 300:
                raise KubeAuthMockError(f"apply {kind} {name}: {status} {_message(body)}")
            results.append(body)
        return results

    def _admin(self) -> KubeconfigClient:
        if self._admin_client is None:
            self._admin_client = KubeconfigClient(self.admin_kubeconfig)
        return self._admin_client

    def _request(self, client: KubeconfigClient, method: str, path: str, body: Optional[Any] = None) -> Tuple[int, Any]:
        try:
            return client.request(method, path, body)
        except (ConnectionError, ssl.SSLEOFError):
            # Refused or reset: if the server has died, say so (with its log) rather than how the socket failed. The
            # socket closes as the process exits, a moment before it can be waited for: give it that moment.
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                raise
            self._raise_if_exited()
            raise

    def _raise_if_exited(self) -> None:
        code = self._process.poll()
        if code is not None:
            raise KubeAuthMockError(f"kube-auth-mock has exited, with code {code}:\n{_tail(self.log_file)}")

    def _collection(self, obj: Dict[str, Any]) -> str:
        """The URL path of an object's collection, from the server's discovery of its group version."""
        api_version, kind = obj["apiVersion"], obj["kind"]
        base = f"/api/{api_version}" if "/" not in api_version else f"/apis/{api_version}"
        if api_version not in self._resources:
            status, body = self._request(self._admin(), "GET", base)
            if status == 404:
                raise KubeAuthMockError(f"apply {kind}: the server does not serve the API group version {api_version} (GET {base}: 404)")
            if status != 200:
                raise KubeAuthMockError(f"apply {kind}: discovery of {api_version} failed: {status} {_message(body)}")
            self._resources[api_version] = body.get("resources", [])
        for r in self._resources[api_version]:
            if r.get("kind") == kind and "/" not in r["name"]:
                if r.get("namespaced"):
                    return f"{base}/namespaces/{obj['metadata'].get('namespace') or 'default'}/{r['name']}"
                return f"{base}/{r['name']}"
        raise KubeAuthMockError(f"apply: the server has no kind {kind} in {api_version}")

    def logs(self) -> str:
        """What the server has logged so far."""
        return self.log_file.read_text(errors="replace")

    def stop(self, timeout: float = 30.0) -> Optional[int]:
        """Stops the server and waits for it; returns the exit code of the process started, 0 on a clean stop.

        It closes the server's standard input (which ``--exit-with-parent`` stops on, through wrappers too) and
        waits up to ``timeout`` seconds; then sends SIGTERM to the process it started and waits as long again; then
        SIGKILL, and raises. Only the process started and processes it started are ever signalled: the pid a ready
        line names may be another pid namespace's (docker, unshare --pid), where it is some other process here.
        """
        process = self._process
        server = self.pid if self.pid != process.pid else None
        _close_stdin(process)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            # Checked again now: a pid that is no longer the child's descendant may be someone else's.
            if server is not None and _is_descendant(server, process.pid):
                _signal(server, signal.SIGTERM)
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise KubeAuthMockError(f"kube-auth-mock did not stop within {timeout:g}s of its stdin closing, nor of SIGTERM: killed it\n{_tail(self.log_file)}") from None
        # The process started may be a wrapper that exits before the server it started has: wait for that too.
        if server is not None:
            deadline = time.monotonic() + timeout
            while not _gone(server):
                if time.monotonic() > deadline:
                    raise KubeAuthMockError(f"kube-auth-mock (pid {server}) still runs {timeout:g}s after the process that started it exited")
                time.sleep(_POLL)
        return process.returncode

    def __enter__(self) -> "KubeAuthMock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


_SERVER_SET = ("resourceVersion", "uid", "creationTimestamp", "managedFields", "selfLink")
"""Metadata the server sets, which a create must not carry (kube-apiserver refuses a resourceVersion there)."""

_AUTH_FILE_FLAGS = ("--token-auth-file", "--basic-auth-file")


def _auth_file_flags(args: Sequence[str], cwd: Path) -> List[str]:
    """The serve args' --token-auth-file and --basic-auth-file, for `kubeconfig` to mint users where the server reads them."""
    out: List[str] = []
    for i, arg in enumerate(args):
        for flag in _AUTH_FILE_FLAGS:
            value: Optional[str] = None
            if arg == flag and i + 1 < len(args):
                value = args[i + 1]
            elif arg.startswith(flag + "="):
                value = arg[len(flag) + 1:]
            if value is not None:
                out += [flag, str(cwd / value)]
    return out


def _close_stdin(process: "subprocess.Popen[bytes]") -> None:
    if process.stdin and not process.stdin.closed:
        try:
            process.stdin.close()
        except OSError:  # a pipe whose reader is gone
            pass


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _stat(pid: int) -> Optional[List[str]]:
    """The fields of /proc/<pid>/stat after the command name (state, ppid, ...); None when there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _is_descendant(pid: int, ancestor: int) -> bool:
    """pid is ancestor or a process it started (or they started), from the ppid chain in /proc."""
    seen = set()
    while pid > 1 and pid not in seen:
        if pid == ancestor:
            return True
        seen.add(pid)
        fields = _stat(pid)
        if fields is None:  # gone, or no /proc (macOS): only the process itself is known to be ours
            return False
        pid = int(fields[1])
    return pid == ancestor


def _gone(pid: int) -> bool:
    fields = _stat(pid)
    if fields is not None:
        return fields[0] == "Z"
    if Path("/proc/self/stat").exists():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


_READY_KEYS = ("url", "caFile", "pkiDir")


def _read_ready(path: Path) -> Optional[Dict[str, Any]]:
    # The ready line is written with a plain write: only a whole line (ending in a newline) is complete.
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    if not text.endswith("\n"):
        return None
    try:
        ready = json.loads(text)
    except ValueError:
        raise KubeAuthMockError(f"the ready file {path} is not JSON: {text.strip()[:200]!r}") from None
    if not isinstance(ready, dict):
        raise KubeAuthMockError(f"the ready file {path} is not a JSON object: {text.strip()[:200]!r}")
    missing = [k for k in _READY_KEYS if not isinstance(ready.get(k), str)]
    if not isinstance(ready.get("kubeconfigs"), dict) or not isinstance(ready["kubeconfigs"].get("admin"), str):
        missing.append("kubeconfigs.admin")
    if missing:
        raise KubeAuthMockError(f"the ready file {path} lacks {', '.join(missing)}: is this kube-auth-mock serve? {text.strip()[:200]!r}")
    return ready


def _objects(yaml_text: str) -> List[Dict[str, Any]]:
    try:
        docs = list(yaml.safe_load_all(yaml_text))
    except yaml.YAMLError as err:
        raise KubeAuthMockError(f"apply: the YAML does not parse: {' '.join(str(err).split())}") from None
    out: List[Dict[str, Any]] = []
    for n, doc in enumerate(docs, 1):
        if not doc:
            continue
        if not isinstance(doc, dict):
            raise KubeAuthMockError(f"apply: YAML document {n} is a {type(doc).__name__}, not an object")
        if str(doc.get("kind", "")).endswith("List") and isinstance(doc.get("items"), list):
            for i, item in enumerate(doc["items"]):
                if not isinstance(item, dict):
                    raise KubeAuthMockError(f"apply: item {i} of the {doc['kind']} in YAML document {n} is a {type(item).__name__}, not an object")
                out.append(item)
        else:
            out.append(doc)
    return out


def _message(body: Any) -> str:
    return str(body.get("message")) if isinstance(body, dict) else str(body)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
