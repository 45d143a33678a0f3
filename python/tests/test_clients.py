"""The fixtures as a test suite uses them, through the official kubernetes client."""
from __future__ import annotations

import fnmatch
import json
from pathlib import Path

import pytest
import yaml
from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

from kube_auth_mock import KubeAuthMock, KubeAuthMockError

POD_READER = """
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: team-a}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev-reads-pods, namespace: team-a}
subjects:
- {kind: Group, name: dev, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
"""


def api(kubeconfig: str) -> client.ApiClient:
    """The official client, configured by its own kubeconfig loader."""
    return config.new_client_from_config(config_file=kubeconfig)


def can_list_pods(api_client: client.ApiClient, namespace: str) -> bool:
    review = client.V1SelfSubjectAccessReview(spec=client.V1SelfSubjectAccessReviewSpec(
        resource_attributes=client.V1ResourceAttributes(verb="list", resource="pods", namespace=namespace)))
    return bool(client.AuthorizationV1Api(api_client).create_self_subject_access_review(review).status.allowed)


def test_forbidden_list_raises_api_exception_403_with_kubes_status(kube_auth_mock: KubeAuthMock) -> None:
    jane = client.CoreV1Api(api(kube_auth_mock.kubeconfig(user="jane", groups=["dev"])))
    with pytest.raises(ApiException) as err:
        jane.list_namespaced_pod("default")
    assert err.value.status == 403
    assert err.value.reason == "Forbidden"
    assert json.loads(err.value.body) == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"',
        "reason": "Forbidden",
        "details": {"kind": "pods"},
        "code": 403,
    }


def test_apply_role_and_binding_then_token_and_cert_users_may_list(kube_auth_mock: KubeAuthMock) -> None:
    jane = api(kube_auth_mock.kubeconfig(user="jane", groups=["dev"], auth="token"))
    joe = api(kube_auth_mock.kubeconfig(user="joe", groups=["dev"], auth="cert"))
    assert not can_list_pods(jane, "team-a")
    assert not can_list_pods(joe, "team-a")

    applied = kube_auth_mock.apply(POD_READER)

    assert [o["kind"] for o in applied] == ["Namespace", "Role", "RoleBinding"]
    for user in (jane, joe):
        assert can_list_pods(user, "team-a")
        assert client.CoreV1Api(user).list_namespaced_pod("team-a").items == []
        assert not can_list_pods(user, "default")


def test_apply_again_updates_the_object(kube_auth_mock_session: KubeAuthMock) -> None:
    manifest = POD_READER.replace("team-a", "team-b")
    jane = api(kube_auth_mock_session.kubeconfig(user="jane-b", groups=["dev"], auth="cert"))
    kube_auth_mock_session.apply(manifest)
    assert can_list_pods(jane, "team-b")

    kube_auth_mock_session.apply(manifest.replace("verbs: [get, list, watch]", "verbs: [get]"))

    assert not can_list_pods(jane, "team-b")


def test_apply_takes_what_kubectl_get_prints(kube_auth_mock_session: KubeAuthMock) -> None:
    # `kubectl get -o yaml` output carries resourceVersion, uid and creationTimestamp, which a create must not.
    stored = kube_auth_mock_session.apply(POD_READER.replace("team-a", "team-c"))
    got = yaml.safe_dump_all(stored)
    assert "resourceVersion" in got and "uid" in got
    rbac = client.RbacAuthorizationV1Api(api(kube_auth_mock_session.admin_kubeconfig))
    rbac.delete_namespaced_role("pod-reader", "team-c")

    again = kube_auth_mock_session.apply(got)

    assert [o["metadata"]["name"] for o in again] == ["team-c", "pod-reader", "dev-reads-pods"]
    assert rbac.read_namespaced_role("pod-reader", "team-c").rules[0].verbs == ["get", "list", "watch"]


@pytest.mark.parametrize("manifest, message", [
    ("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n",
     "apply Widget: the server does not serve the API group version example.com/v1 (GET /apis/example.com/v1: 404)"),
    ("apiVersion: v1\nkind: List\nitems: [3]\n", "apply: item 0 of the List in YAML document 1 is a int, not an object"),
    ("apiVersion: v1\nkind: [\n", "apply: the YAML does not parse: *"),
    ("apiVersion: v1\nkind: Secret\nmetadata: {namespace: default}\ndata: {password: c2VjcmV0}\n",
     "apply: object 1 (kind Secret) needs apiVersion, kind and metadata.name"),
])
def test_apply_of_what_cannot_be_applied_says_why_in_one_line(kube_auth_mock_session: KubeAuthMock, manifest: str, message: str) -> None:
    with pytest.raises(KubeAuthMockError) as err:
        kube_auth_mock_session.apply(manifest)
    assert fnmatch.fnmatchcase(str(err.value), message), str(err.value)
    assert "\n" not in str(err.value)
    assert "c2VjcmV0" not in str(err.value)


def test_users_minted_into_the_token_file_given_to_serve(tmp_path: Path, whoami) -> None:
    (tmp_path / "tokens.csv").write_text("")
    with KubeAuthMock.start(tmp_path, args=["--token-auth-file", "tokens.csv"]) as server:
        jane = api(server.kubeconfig(user="jane", groups=["dev"]))
        assert whoami(jane)["username"] == "jane"
        assert ",jane,,dev" in (tmp_path / "tokens.csv").read_text()


def test_a_token_user_is_minted_when_every_request_is_denied(tmp_path: Path) -> None:
    # AlwaysDeny answers the minted user's SelfSubjectReview 403, not 401: that is the sign the token is known.
    with KubeAuthMock.start(tmp_path, args=["--authorization-mode", "AlwaysDeny"]) as server:
        jane = client.CoreV1Api(api(server.kubeconfig(user="jane")))
        with pytest.raises(ApiException) as err:
            jane.list_namespaced_pod("default")
        assert err.value.status == 403


def test_watch_sees_the_added_configmap(kube_auth_mock: KubeAuthMock) -> None:
    core = client.CoreV1Api(api(kube_auth_mock.admin_kubeconfig))
    since = core.list_namespaced_config_map("default").metadata.resource_version
    core.create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="settings"), data={"mode": "test"}))

    # A watch from the list's resourceVersion is sent every change after it, as kube-apiserver does.
    w = watch.Watch()
    event = next(iter(w.stream(core.list_namespaced_config_map, "default", resource_version=since, timeout_seconds=60)), None)
    w.stop()

    assert event is not None
    assert event["type"] == "ADDED"
    assert event["object"].metadata.name == "settings"
    assert event["object"].data == {"mode": "test"}


@pytest.mark.parametrize("auth", ["token", "cert", "basic"])
def test_minted_user_has_its_groups_and_uid(kube_auth_mock_session: KubeAuthMock, auth: str, whoami) -> None:
    kubeconfig = kube_auth_mock_session.kubeconfig(user=f"py-{auth}", groups=["dev", "qa"], uid="42", auth=auth)
    assert whoami(api(kubeconfig)) == {"username": f"py-{auth}", "uid": "42", "groups": ["dev", "qa", "system:authenticated"]}


def test_admin_is_system_masters(kube_auth_mock_session: KubeAuthMock, whoami) -> None:
    me = whoami(api(kube_auth_mock_session.admin_kubeconfig))
    assert me["username"] == "admin"
    assert me["groups"] == ["system:masters", "system:authenticated"]


def test_minting_a_token_user_again_replaces_the_old_token(kube_auth_mock_session: KubeAuthMock, whoami) -> None:
    old = api(kube_auth_mock_session.kubeconfig(user="rotated", groups=["a"]))
    new = api(kube_auth_mock_session.kubeconfig(user="rotated", groups=["b"]))
    assert whoami(new)["groups"] == ["b", "system:authenticated"]
    with pytest.raises(ApiException) as err:
        whoami(old)
    assert err.value.status == 401
