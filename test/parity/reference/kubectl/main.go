// Command kubectl is kubectl v1.37.2, the newest release the module proxy serves, built from k8s.io/kubectl
// with the main of k8s.io/kubernetes/cmd/kubectl, so that the end-to-end tests reach past the gcloud SDK's 1.33.
package main

import (
	"k8s.io/component-base/cli"
	"k8s.io/kubectl/pkg/cmd"
	"k8s.io/kubectl/pkg/cmd/util"

	_ "k8s.io/client-go/plugin/pkg/client/auth" // the client auth plugins (exec, oidc), as upstream
)

func main() {
	command := cmd.NewDefaultKubectlCommand()
	if err := cli.RunNoErrOutput(command); err != nil {
		// Pretty-print the error and exit with an error, as upstream.
		util.CheckErr(err)
	}
}
