package kamtest_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"

	"github.com/kube-auth-mock/kube-auth-mock/go/kamtest"
)

// rbac lets group "dev" read and create ConfigMaps in namespace "team-a".
const rbac = `
apiVersion: v1
kind: Namespace
metadata:
  name: team-a
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: configmap-editor
  namespace: team-a
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: dev-edits-configmaps
  namespace: team-a
subjects:
- kind: Group
  name: dev
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: configmap-editor
  apiGroup: rbac.authorization.k8s.io
`

var jane = kamtest.User{Name: "jane", Groups: []string{"dev"}, UID: "42", Extra: map[string][]string{"team": {"a"}}}

func clientset(t *testing.T, cfg *rest.Config) *kubernetes.Clientset {
	t.Helper()
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func whoami(t *testing.T, cfg *rest.Config) authenticationv1.UserInfo {
	t.Helper()
	review, err := clientset(t, cfg).AuthenticationV1().SelfSubjectReviews().Create(context.Background(), &authenticationv1.SelfSubjectReview{}, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("SelfSubjectReview: %v", err)
	}
	return review.Status.UserInfo
}

func TestForbiddenListIsKubesError(t *testing.T) {
	t.Parallel()
	env := kamtest.Start(t, kamtest.Options{})
	for _, auth := range []kamtest.Auth{kamtest.Token, kamtest.Cert} {
		t.Run(auth.String(), func(t *testing.T) {
			u := jane
			if auth == kamtest.Cert {
				u.Extra = nil
			}
			_, err := clientset(t, env.AddUser(t, u, auth)).CoreV1().Pods("default").List(context.Background(), metav1.ListOptions{})
			if !apierrors.IsForbidden(err) {
				t.Fatalf("want Forbidden, got %v", err)
			}
			const want = `pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"`
			if err.Error() != want {
				t.Errorf("got  %q\nwant %q", err.Error(), want)
			}
		})
	}
}

func TestSelfSubjectReviewShowsUIDAndExtra(t *testing.T) {
	t.Parallel()
	env := kamtest.Start(t, kamtest.Options{})

	got := whoami(t, env.AddUser(t, jane, kamtest.Token))
	want := authenticationv1.UserInfo{
		Username: "jane",
		UID:      "42",
		Groups:   []string{"dev", "system:authenticated"},
		Extra:    map[string]authenticationv1.ExtraValue{"team": {"a"}},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("token user:\ngot  %+v\nwant %+v", got, want)
	}

	cert := whoami(t, env.AddUser(t, kamtest.User{Name: "joe", Groups: []string{"ops", "dev"}, UID: "1001"}, kamtest.Cert))
	if cert.Username != "joe" || cert.UID != "1001" || !slices.Equal(cert.Groups, []string{"ops", "dev", "system:authenticated"}) {
		t.Errorf("cert user: got %+v", cert)
	}
	// kube's x509 authenticator names the certificate in extra, and nothing else.
	if keys := slices.Collect(maps.Keys(cert.Extra)); !slices.Equal(keys, []string{"authentication.kubernetes.io/credential-id"}) {
		t.Errorf("cert user's extra: got %v", cert.Extra)
	}

	admin := whoami(t, env.Admin())
	if !slices.Contains(admin.Groups, "system:masters") {
		t.Errorf("admin: got %+v", admin)
	}
}

func TestApplyGrantsAccess(t *testing.T) {
	t.Parallel()
	env := kamtest.Start(t, kamtest.Options{})
	janeCfg := env.AddUser(t, jane, kamtest.Token)
	ctx := context.Background()

	canCreate := func() authorizationv1.SubjectAccessReviewStatus {
		t.Helper()
		review, err := clientset(t, janeCfg).AuthorizationV1().SelfSubjectAccessReviews().Create(ctx, &authorizationv1.SelfSubjectAccessReview{
			Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &authorizationv1.ResourceAttributes{
				Namespace: "team-a", Verb: "create", Resource: "configmaps",
			}},
		}, metav1.CreateOptions{})
		if err != nil {
			t.Fatalf("SelfSubjectAccessReview: %v", err)
		}
		return review.Status
	}

	if s := canCreate(); s.Allowed {
		t.Fatalf("allowed before any RBAC: %+v", s)
	}
	env.Apply(t, rbac)
	if s := canCreate(); !s.Allowed || s.Reason != `RBAC: allowed by RoleBinding "dev-edits-configmaps/team-a" of Role "configmap-editor" to Group "dev"` {
		t.Fatalf("after Apply: %+v", s)
	}
	// A second Apply updates what exists.
	env.Apply(t, rbac)

	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "settings"}, Data: map[string]string{"k": "v"}}
	if _, err := clientset(t, janeCfg).CoreV1().ConfigMaps("team-a").Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatalf("jane creates a ConfigMap: %v", err)
	}
	err := clientset(t, janeCfg).CoreV1().ConfigMaps("team-a").Delete(ctx, "settings", metav1.DeleteOptions{})
	const want = `configmaps "settings" is forbidden: User "jane" cannot delete resource "configmaps" in API group "" in the namespace "team-a"`
	if !apierrors.IsForbidden(err) || err.Error() != want {
		t.Errorf("delete: got %v\nwant %s", err, want)
	}
}

func TestImpersonation(t *testing.T) {
	t.Parallel()
	env := kamtest.Start(t, kamtest.Options{})

	// system:masters may impersonate anyone; the server then sees only the impersonated user.
	as := env.Admin()
	as.Impersonate = rest.ImpersonationConfig{UserName: "jane", UID: "42", Groups: []string{"dev"}, Extra: map[string][]string{"team": {"a"}}}
	got := whoami(t, as)
	if got.Username != "jane" || got.UID != "42" || !slices.Equal(got.Groups, []string{"dev", "system:authenticated"}) || fmt.Sprint(got.Extra) != "map[team:[a]]" {
		t.Errorf("impersonated: got %+v", got)
	}

	// jane may not impersonate.
	janeAs := env.AddUser(t, jane, kamtest.Token)
	janeAs.Impersonate = rest.ImpersonationConfig{UserName: "admin"}
	_, err := clientset(t, janeAs).CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{})
	const want = `users "admin" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope`
	if !apierrors.IsForbidden(err) || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestDynamicClient(t *testing.T) {
	t.Parallel()
	env := kamtest.Start(t, kamtest.Options{})
	env.Apply(t, rbac)
	client, err := dynamic.NewForConfig(env.AddUser(t, kamtest.User{Name: "joe", Groups: []string{"dev"}}, kamtest.Cert))
	if err != nil {
		t.Fatal(err)
	}
	configmaps := schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
	cm := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": "from-dynamic"},
		"data":     map[string]any{"k": "v"},
	}}
	ctx := context.Background()
	if _, err := client.Resource(configmaps).Namespace("team-a").Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create: %v", err)
	}
	list, err := client.Resource(configmaps).Namespace("team-a").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	var names []string
	for _, item := range list.Items {
		names = append(names, item.GetName())
	}
	if !slices.Contains(names, "from-dynamic") {
		t.Errorf("list: got %v", names)
	}
	_, err = client.Resource(configmaps).Namespace("default").List(ctx, metav1.ListOptions{})
	if !apierrors.IsForbidden(err) {
		t.Errorf("list in default: want Forbidden, got %v", err)
	}
}

func TestInformerSeesCreatedObject(t *testing.T) {
	t.Parallel()
	env := kamtest.Start(t, kamtest.Options{})
	env.Apply(t, rbac)
	janeClient := clientset(t, env.AddUser(t, jane, kamtest.Token))

	// jane's informer: list and watch in team-a, which her Role allows.
	factory := informers.NewSharedInformerFactoryWithOptions(janeClient, 0, informers.WithNamespace("team-a"))
	added := make(chan string, 16)
	_, err := factory.Core().V1().ConfigMaps().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) { added <- obj.(*corev1.ConfigMap).Name },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer factory.Shutdown() // runs after cancel: waits for the informer's goroutines
	defer cancel()
	factory.Start(ctx.Done())
	for typ, synced := range factory.WaitForCacheSync(ctx.Done()) {
		if !synced {
			t.Fatalf("%v did not sync", typ)
		}
	}

	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "watched"}}
	if _, err := clientset(t, env.Admin()).CoreV1().ConfigMaps("team-a").Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create: %v", err)
	}
	// The add event arrives through the informer's watch; a bound only keeps a broken watch from hanging the run.
	for {
		select {
		case name := <-added:
			if name == "watched" {
				return
			}
		case <-time.After(time.Minute):
			t.Fatal("no add event for the ConfigMap within a minute")
		}
	}
}
