// Command kube-apiserver is the real kube-apiserver of k8s.io/kubernetes, built from the module proxy
// so that the parity tests can ask it what the mock should answer.
package main

import (
	"os"
	_ "time/tzdata" // time zones for CronJob, as upstream

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // the --logging-format=json of the upstream main
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client metric registration, as upstream
	_ "k8s.io/component-base/metrics/prometheus/version"  // version metric registration, as upstream
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	command := app.NewAPIServerCommand()
	code := cli.Run(command)
	os.Exit(code)
}
