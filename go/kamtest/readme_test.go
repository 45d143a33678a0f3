package kamtest_test

import (
	"context"
	"testing"

	authenticationv1 "k8s.io/api/authentication/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kube-auth-mock/kube-auth-mock/go/kamtest"
)

const teamAReaders = `
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: team-a}
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev-reads, namespace: team-a}
subjects: [{kind: Group, name: dev, apiGroup: rbac.authorization.k8s.io}]
roleRef: {kind: Role, name: reader, apiGroup: rbac.authorization.k8s.io}
`

func TestJaneReadsConfigMapsInTeamAOnly(t *testing.T) {
	env := kamtest.Start(t, kamtest.Options{})
	env.Apply(t, teamAReaders)
	jane, err := kubernetes.NewForConfig(env.AddUser(t, kamtest.User{
		Name: "jane", Groups: []string{"dev"}, UID: "42", Extra: map[string][]string{"team": {"a"}},
	}, kamtest.Token))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	if _, err := jane.CoreV1().ConfigMaps("team-a").List(ctx, metav1.ListOptions{}); err != nil {
		t.Errorf("team-a: %v", err)
	}

	_, err = jane.CoreV1().ConfigMaps("default").List(ctx, metav1.ListOptions{})
	const want = `configmaps is forbidden: User "jane" cannot list resource "configmaps" in API group "" in the namespace "default"`
	if !apierrors.IsForbidden(err) || err.Error() != want {
		t.Errorf("default: got %v", err)
	}

	review, err := jane.AuthenticationV1().SelfSubjectReviews().Create(ctx, &authenticationv1.SelfSubjectReview{}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// {Username:jane UID:42 Groups:[dev system:authenticated] Extra:map[team:[a]]}
	t.Logf("%+v", review.Status.UserInfo)
}
