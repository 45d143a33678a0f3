"""A minimal HTTPS client built from a kubeconfig: the plugin's own calls (apply, the wait for a minted token)
must not need the kubernetes client, which is the tests' choice and comes in many versions."""
from __future__ import annotations

import base64
import http.client
import json
import os
import ssl
import tempfile
from pathlib import Path
from typing import Any, Optional, Tuple
from urllib.parse import urlsplit

import yaml


class KubeconfigClient:
    """Sends JSON requests as the current context's user of one kubeconfig."""

    def __init__(self, kubeconfig: str | os.PathLike[str]) -> None:
        doc = yaml.safe_load(Path(kubeconfig).read_text())
        context = _named(doc, "contexts", doc["current-context"])["context"]
        cluster = _named(doc, "clusters", context["cluster"])["cluster"]
        user = _named(doc, "users", context["user"])["user"] or {}
        url = urlsplit(cluster["server"])
        self._host = url.hostname or "127.0.0.1"
        self._port = url.port or 443
        self._headers = {"Accept": "application/json", "Content-Type": "application/json", "User-Agent": "pytest-kube-auth-mock"}
        if "token" in user:
            self._headers["Authorization"] = f"Bearer {user['token']}"
        elif "username" in user:
            basic = base64.b64encode(f"{user['username']}:{user['password']}".encode()).decode()
            self._headers["Authorization"] = f"Basic {basic}"

        self._tls = ssl.create_default_context()
        if "certificate-authority-data" in cluster:
            self._tls.load_verify_locations(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
        else:
            self._tls.load_verify_locations(cafile=cluster["certificate-authority"])
        if "client-certificate-data" in user:
            _load_cert_chain(self._tls, base64.b64decode(user["client-certificate-data"]), base64.b64decode(user["client-key-data"]))
        elif "client-certificate" in user:
            self._tls.load_cert_chain(user["client-certificate"], user["client-key"])

    def request(self, method: str, path: str, body: Optional[Any] = None) -> Tuple[int, Any]:
        """One request; returns the status code and the decoded JSON body (None when the body is not JSON)."""
        conn = http.client.HTTPSConnection(self._host, self._port, context=self._tls, timeout=30)
        try:
            conn.request(method, path, body=None if body is None else json.dumps(body), headers=self._headers)
            res = conn.getresponse()
            raw = res.read()
        finally:
            conn.close()
        try:
            return res.status, json.loads(raw)
        except ValueError:
            return res.status, None


def _named(doc: Any, section: str, name: str) -> Any:
    for entry in doc.get(section) or []:
        if entry.get("name") == name:
            return entry
    raise ValueError(f"kubeconfig has no {section} entry named {name!r}")


def _load_cert_chain(tls: ssl.SSLContext, cert: bytes, key: bytes) -> None:
    # ssl only loads a client certificate from files: write both to a private temporary folder, load, remove.
    with tempfile.TemporaryDirectory(prefix="kam-client-") as d:
        cert_file, key_file = Path(d, "client.crt"), Path(d, "client.key")
        cert_file.write_bytes(cert)
        key_file.touch(mode=0o600)
        key_file.write_bytes(key)
        tls.load_cert_chain(cert_file, key_file)
