"""Helpers shared by the plugin's own tests: kubernetes clients from kubeconfigs, and a whoami that works with
both the current kubernetes client from PyPI and Debian's python3-kubernetes 22."""
from __future__ import annotations

import os
from typing import Any, Callable, Dict, Iterator

import pytest
from kubernetes import client

from kube_auth_mock import BIN_ENV, find_command

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session", autouse=True)
def _kube_auth_mock_bin() -> Iterator[None]:
    # The lifecycle tests run pytest and scripts in other folders, where walking up from the current directory
    # would not find this checkout: pin the binary found from here for them.
    with pytest.MonkeyPatch.context() as mp:
        if not os.environ.get(BIN_ENV):
            mp.setenv(BIN_ENV, find_command()[-1])
        yield


def _whoami(api_client: client.ApiClient) -> Dict[str, Any]:
    auth = client.AuthenticationV1Api(api_client)
    if hasattr(auth, "create_self_subject_review"):  # kubernetes >= 28
        info = auth.create_self_subject_review(client.V1SelfSubjectReview()).status.user_info
        return {"username": info.username, "uid": info.uid, "groups": info.groups}
    # python3-kubernetes 22 predates the typed SelfSubjectReview: the same POST through call_api.
    body = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
    data = api_client.call_api("/apis/authentication.k8s.io/v1/selfsubjectreviews", "POST", body=body, response_type="object",
                               auth_settings=["BearerToken"], _return_http_data_only=True)
    info = data["status"]["userInfo"]
    return {"username": info["username"], "uid": info.get("uid"), "groups": info.get("groups")}


@pytest.fixture
def whoami() -> Callable[[client.ApiClient], Dict[str, Any]]:
    """The user a client is, from a SelfSubjectReview: username, uid and groups."""
    return _whoami
