package kamtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BinaryEnv names the environment variable that overrides where kube-auth-mock is found: an executable
// (node_modules/.bin/kube-auth-mock, a wrapper script) or the package's dist/cli/main.js, run with node.
const BinaryEnv = "KUBE_AUTH_MOCK_BIN"

const installHint = "npm install --save-dev kube-auth-mock (in this folder or a parent), or set " + BinaryEnv

// serverCommand is the command line that runs kube-auth-mock, without its subcommand: [executable] or
// [node, main.js]. It fails the test with one line when there is none.
func serverCommand(t testing.TB) []string {
	t.Helper()
	command, err := findServer()
	if err != nil {
		t.Fatalf("kamtest: %v", err)
	}
	return command
}

// findServer looks, in order, at $KUBE_AUTH_MOCK_BIN; then in the working directory and each parent, at
// node_modules/.bin/kube-auth-mock and at a kube-auth-mock checkout (package.json named kube-auth-mock, run from
// its dist/); then at kube-auth-mock on PATH. The nearest folder wins, so a project's own install beats a global one.
func findServer() ([]string, error) {
	if bin := os.Getenv(BinaryEnv); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			return nil, fmt.Errorf("%s=%s: %v", BinaryEnv, bin, errors.Unwrap(err))
		}
		if strings.HasSuffix(bin, ".js") {
			return withNode(bin)
		}
		return []string{bin}, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		bin := filepath.Join(dir, "node_modules", ".bin", "kube-auth-mock")
		if isFile(bin) {
			return []string{bin}, nil
		}
		if isCheckout(dir) {
			main := filepath.Join(dir, "dist", "cli", "main.js")
			if !isFile(main) {
				return nil, fmt.Errorf("%s is a kube-auth-mock checkout without dist/cli/main.js: run npm run build there (or set %s)", dir, BinaryEnv)
			}
			return withNode(main)
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	if bin, err := exec.LookPath("kube-auth-mock"); err == nil {
		return []string{bin}, nil
	}
	return nil, fmt.Errorf("kube-auth-mock not found from %s: %s", wd, installHint)
}

// isCheckout tells whether dir holds kube-auth-mock's own package.json: its repository, where go/ lives.
func isCheckout(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return false
	}
	var pkg struct {
		Name string `json:"name"`
	}
	return json.Unmarshal(data, &pkg) == nil && pkg.Name == "kube-auth-mock"
}

func withNode(main string) ([]string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("kube-auth-mock (%s) needs Node.js: node is not on PATH", main)
	}
	return []string{node, main}, nil
}

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir() && info.Mode()&fs.ModeType == 0
}
