// Command etcd is the etcd server that kube-apiserver v1.34 is tested against (hack/lib/etcd.sh of
// k8s.io/kubernetes v1.34.4 names 3.6.5), built from go.etcd.io/etcd/server/v3 as its own main.go does.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
