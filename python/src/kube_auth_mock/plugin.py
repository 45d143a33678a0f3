"""The pytest plugin (entry point ``pytest11``): fixtures that start a kube-auth-mock server and always stop it."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from .server import KubeAuthMock, KubeAuthMockError


def _serve(workdir: Path) -> Iterator[KubeAuthMock]:
    try:
        server = KubeAuthMock.start(workdir)
    except KubeAuthMockError as err:
        pytest.fail(str(err), pytrace=False)
    try:
        yield server
    finally:
        try:
            code = server.stop()
        except KubeAuthMockError as err:
            pytest.fail(str(err), pytrace=False)
    # A server that crashed during the test, or stopped uncleanly, fails the teardown with what it logged.
    if code != 0:
        pytest.fail(f"kube-auth-mock exited with code {code}:\n{server.logs()}", pytrace=False)


@pytest.fixture
def kube_auth_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KubeAuthMock]:
    """A kube-auth-mock server of its own for this test (fresh PKI, tokens and RBAC objects), stopped after it."""
    yield from _serve(tmp_path_factory.mktemp("kube-auth-mock"))


@pytest.fixture(scope="session")
def kube_auth_mock_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KubeAuthMock]:
    """One kube-auth-mock server shared by the whole test session, stopped at its end. Objects applied and users
    minted by one test are seen by the next: give each test its own names or namespaces."""
    yield from _serve(tmp_path_factory.mktemp("kube-auth-mock-session"))
