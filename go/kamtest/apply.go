package kamtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"
)

// Apply creates, or updates when they exist, the objects of a YAML (or JSON) text of one or more documents, in
// their order, as the admin: Namespaces, Roles, ClusterRoles, RoleBindings, ClusterRoleBindings, ConfigMaps, and
// whatever else the server serves. A namespaced object without a namespace goes to "default". Any error fails the
// test, naming the document.
func (e *Env) Apply(t testing.TB, manifests string) {
	t.Helper()
	if err := e.apply(context.Background(), manifests); err != nil {
		t.Fatalf("kamtest: Apply: %v", err)
	}
}

func (e *Env) apply(ctx context.Context, manifests string) error {
	cfg := e.Admin()
	client, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return err
	}
	disco, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return err
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disco))

	decoder := yaml.NewYAMLOrJSONDecoder(strings.NewReader(manifests), 4096)
	for doc := 1; ; doc++ {
		var obj unstructured.Unstructured
		if err := decoder.Decode(&obj.Object); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("document %d: %v", doc, err)
		}
		if len(obj.Object) == 0 {
			continue // an empty document, as between two "---"
		}
		items := []unstructured.Unstructured{obj}
		if obj.IsList() {
			list, err := obj.ToList()
			if err != nil {
				return fmt.Errorf("document %d: %v", doc, err)
			}
			items = list.Items
		}
		for _, item := range items {
			if err := applyOne(ctx, client, mapper, &item); err != nil {
				return fmt.Errorf("document %d (%s %q): %v", doc, item.GetKind(), item.GetName(), err)
			}
		}
	}
}

// applyOne creates obj, or replaces the stored one (keeping its resourceVersion, as kubectl replace does).
func applyOne(ctx context.Context, client dynamic.Interface, mapper meta.RESTMapper, obj *unstructured.Unstructured) error {
	gvk := obj.GroupVersionKind()
	if gvk.Kind == "" || gvk.Version == "" {
		return errors.New("apiVersion and kind are required")
	}
	mapping, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return err
	}
	var resource dynamic.ResourceInterface = client.Resource(mapping.Resource)
	if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		if obj.GetNamespace() == "" {
			obj.SetNamespace(metav1.NamespaceDefault)
		}
		resource = client.Resource(mapping.Resource).Namespace(obj.GetNamespace())
	}
	_, err = resource.Create(ctx, obj, metav1.CreateOptions{})
	if !apierrors.IsAlreadyExists(err) {
		return err
	}
	current, err := resource.Get(ctx, obj.GetName(), metav1.GetOptions{})
	if err != nil {
		return err
	}
	obj.SetResourceVersion(current.GetResourceVersion())
	_, err = resource.Update(ctx, obj, metav1.UpdateOptions{})
	return err
}
