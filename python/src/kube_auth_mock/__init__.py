"""pytest fixtures (and a plain API) for kube-auth-mock, a mock Kubernetes API server for authn/authz tests.

The fixtures ``kube_auth_mock`` (one server per test) and ``kube_auth_mock_session`` (one per test session) come
from the ``kube_auth_mock.plugin`` module, which pytest loads by itself once this package is installed.
"""
from .server import BIN_ENV, Auth, KubeAuthMock, KubeAuthMockError, find_command

__all__ = ["BIN_ENV", "Auth", "KubeAuthMock", "KubeAuthMockError", "find_command"]
