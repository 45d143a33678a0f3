// Package kamtest starts kube-auth-mock, a mock Kubernetes API server with kube-apiserver's authentication,
// RBAC and impersonation, for Go tests, in the manner of controller-runtime's envtest:
//
//	env := kamtest.Start(t, kamtest.Options{})
//	admin := env.Admin() // *rest.Config in system:masters
//	jane := env.AddUser(t, kamtest.User{Name: "jane", Groups: []string{"dev"}, UID: "42"}, kamtest.Token)
//	env.Apply(t, rbacYAML)
//
// Each Env is one server process with a PKI folder of its own; it is stopped when the test ends, and it also
// stops by itself when the test process dies (even by SIGKILL), because it watches the standard input kamtest holds.
package kamtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// Options adjust the server a test starts. The zero value is kube-apiserver's defaults as kube-auth-mock has
// them: RBAC with the bootstrap policy, anonymous requests allowed as system:anonymous.
type Options struct {
	// Args are more `kube-auth-mock serve` flags, appended after kamtest's own, e.g.
	// []string{"--authorization-mode=RBAC,AlwaysDeny"} or []string{"--policy-dir", "testdata/rbac"}.
	// Relative paths are taken from the test's working directory (the package folder under go test).
	Args []string
	// StartTimeout bounds the wait for the server to be ready; 0 means 60 s. Start-up normally takes about a second.
	StartTimeout time.Duration
}

// Env is one running kube-auth-mock server.
type Env struct {
	// URL is the server's https URL, e.g. https://127.0.0.1:40613.
	URL string
	// PKIDir is the server's PKI folder: ca.crt, ca.key, the admin certificate and kubeconfigs/.
	PKIDir string
	// CAFile is the CA that signed the serving certificate and that client certificates must chain to.
	CAFile string
	// PID is the server's own process id, from its ready line: when KUBE_AUTH_MOCK_BIN is a wrapper (a shell
	// script, npx) it is not the pid of the process kamtest started. A wrapper that runs the server in another
	// pid namespace (unshare --pid, docker, bwrap) reports a pid that means something else here; kamtest heeds
	// it only when it is the process it started or a descendant of it.
	PID int

	caPEM   []byte
	admin   *rest.Config
	tokens  *tokenWebhook
	cmd     *exec.Cmd
	exited  chan struct{}
	output  *syncBuffer
	stdin   io.WriteCloser
	stopped bool
	// server is the ready line's process when a wrapper started it as a descendant: stop waits for it too.
	server *procIdentity
}

// readyLine is what `serve --ready-file` writes once the server listens.
type readyLine struct {
	Ready       bool              `json:"ready"`
	URL         string            `json:"url"`
	CAFile      string            `json:"caFile"`
	PKIDir      string            `json:"pkiDir"`
	PID         int               `json:"pid"`
	Kubeconfigs map[string]string `json:"kubeconfigs"`
}

// exitWithParent is serve's flag that makes the server exit when its standard input closes or its parent dies:
// what keeps a SIGKILLed test process from leaving a server behind.
const exitWithParent = "--exit-with-parent"

// Start starts a kube-auth-mock server with a fresh PKI folder and the token webhook AddUser uses, waits until it
// is ready, and stops it when the test and its subtests have finished. A server that does not start fails the
// test with its output.
func Start(t testing.TB, opts Options) *Env {
	t.Helper()
	command := serverCommand(t)
	dir := t.TempDir()
	pkiDir := filepath.Join(dir, "pki")
	readyFile := filepath.Join(dir, "ready.json")

	tokens := startTokenWebhook(t)
	webhookConfig := filepath.Join(dir, "token-webhook.kubeconfig")
	if err := tokens.writeKubeconfig(webhookConfig); err != nil {
		t.Fatalf("kamtest: writing the token webhook's kubeconfig: %v", err)
	}

	args := append(command[1:len(command):len(command)], "serve",
		"--secure-port", "0",
		"--pki-dir", pkiDir,
		"--ready-file", readyFile,
		exitWithParent,
		// AddUser's tokens are answered by kamtest's own webhook, kube's webhook token authentication: the user's
		// uid and extra reach the server exactly as from a real cluster's webhook, and no file reload is waited for.
		"--authentication-token-webhook-config-file", webhookConfig,
		"--authentication-token-webhook-version", "v1",
	)
	args = append(args, opts.Args...)
	cmd := exec.Command(command[0], args...)
	output := &syncBuffer{}
	cmd.Stdout = output
	cmd.Stderr = output
	// A pipe only this process holds: when the test process dies, however, the kernel closes it and the
	// server, watching its standard input, exits.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatalf("kamtest: %v", err)
	}
	// The output is copied by goroutines; should anything the server started keep the pipes open, Wait still returns.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatalf("kamtest: cannot run %s: %v", strings.Join(command, " "), err)
	}
	env := &Env{PKIDir: pkiDir, tokens: tokens, cmd: cmd, exited: make(chan struct{}), output: output, stdin: stdin}
	go func() {
		_ = cmd.Wait()
		close(env.exited)
	}()
	started := false
	t.Cleanup(func() {
		env.stop(t)
		// A failed start has shown the output already.
		if started && t.Failed() {
			t.Logf("kube-auth-mock output:\n%s", output.String())
		}
	})

	timeout := opts.StartTimeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	ready, err := env.waitReady(readyFile, timeout)
	if err != nil {
		t.Fatalf("kamtest: %s did not start: %v\n--- its output ---\n%s", strings.Join(cmd.Args, " "), err, output.String())
	}
	env.URL, env.CAFile, env.PID = ready.URL, ready.CAFile, ready.PID
	// Checked now, while the wrapper still runs: once it exits, the server's ppid chain no longer leads to it.
	if ready.PID != cmd.Process.Pid {
		if id, ok := descendant(ready.PID, cmd.Process.Pid); ok {
			env.server = &id
		}
	}
	if env.caPEM, err = os.ReadFile(ready.CAFile); err != nil {
		t.Fatalf("kamtest: %v", err)
	}
	adminFile := ready.Kubeconfigs["admin"]
	admin, err := clientcmd.BuildConfigFromFlags("", adminFile)
	if err != nil {
		t.Fatalf("kamtest: reading the admin kubeconfig %s: %v", adminFile, err)
	}
	env.admin = withTestRates(admin)
	started = true
	return env
}

// waitReady waits for the ready file's complete line, or for the process to exit first.
func (e *Env) waitReady(file string, timeout time.Duration) (*readyLine, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	// The file is written once by the server, not atomically: a line is complete when it ends in a newline.
	// Polling is the portable way to see it appear; the process's exit is watched at the same time.
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if data, err := os.ReadFile(file); err == nil && bytes.HasSuffix(data, []byte("\n")) {
			var ready readyLine
			if err := json.Unmarshal(data, &ready); err != nil || !ready.Ready {
				return nil, fmt.Errorf("the ready file %s holds %q", file, data)
			}
			return &ready, nil
		}
		select {
		case <-e.exited:
			return nil, fmt.Errorf("the server exited before it was ready (%v)", e.cmd.ProcessState)
		case <-deadline.C:
			return nil, fmt.Errorf("the server was not ready after %v", timeout)
		case <-tick.C:
		}
	}
}

// Bounds of stop's steps. The server stops in well under a second once its standard input closes.
const (
	stdinStopBound   = 20 * time.Second
	sigtermStopBound = 10 * time.Second
)

// stop ends the server by closing its standard input, which --exit-with-parent watches: this reaches the server
// through any wrapper that passes stdin on (a shell, npx, unshare, docker run -i), where a signal may not, and
// names no pid. Only if the process kamtest started has not exited by then does it get SIGTERM, then SIGKILL:
// it and the ready line's server when that is its descendant, never a pid that may be another process's.
func (e *Env) stop(t testing.TB) {
	if e.stopped {
		return
	}
	e.stopped = true
	_ = e.stdin.Close()
	if !e.waitExited(stdinStopBound) {
		e.signal(syscall.SIGTERM)
		if !e.waitExited(sigtermStopBound) {
			e.signal(syscall.SIGKILL)
			<-e.exited // WaitDelay bounds this, should a process it left hold the output pipes
			t.Errorf("kamtest: the server did not stop within %v of its standard input closing, nor %v of SIGTERM, and was killed", stdinStopBound, sigtermStopBound)
			return
		}
		t.Errorf("kamtest: the server did not stop within %v of its standard input closing, and was sent SIGTERM", stdinStopBound)
	}
	// A wrapper may exit before the server it started: the server's exit is seen through /proc.
	if e.server != nil && !e.server.waitGone(stdinStopBound) {
		t.Errorf("kamtest: the server (pid %d) still runs %v after the process kamtest started (pid %d) exited", e.server.pid, stdinStopBound, e.cmd.Process.Pid)
	}
}

// waitExited waits, for at most bound, for the process kamtest started to exit; it tells whether it has.
func (e *Env) waitExited(bound time.Duration) bool {
	timer := time.NewTimer(bound)
	defer timer.Stop()
	select {
	case <-e.exited:
		return true
	case <-timer.C:
		return false
	}
}

// signal sends sig to the ready line's server while it is still a descendant of the process kamtest started,
// first, since a shell wrapper killed first would leave it orphaned; then to that process itself, which
// os.Process signals safely: it cannot be reaped, nor its pid reused, until its Wait returns.
func (e *Env) signal(sig syscall.Signal) {
	if e.server != nil {
		e.server.signalIfDescendant(e.cmd.Process.Pid, sig)
	}
	_ = e.cmd.Process.Signal(sig)
}

// Admin is a client config for the PKI folder's admin: a client certificate in system:masters, which RBAC
// allows everything. Each call returns a new copy.
func (e *Env) Admin() *rest.Config {
	return rest.CopyConfig(e.admin)
}

// Output is what the server wrote to stdout and stderr so far (its start-up banner, warnings, a line per request
// with --log-format). It is also logged when the test fails.
func (e *Env) Output() string {
	return e.output.String()
}

// withTestRates lifts client-go's default client-side throttling (5 QPS, burst 10), which only slows tests down;
// envtest sets the same figures.
func withTestRates(cfg *rest.Config) *rest.Config {
	cfg.QPS, cfg.Burst = 1000, 2000
	return cfg
}

// syncBuffer is a bytes.Buffer safe for exec's copying goroutines and a reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
