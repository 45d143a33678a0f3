package kamtest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestServerStopsWithTheTest(t *testing.T) {
	var env *Env
	t.Run("env", func(t *testing.T) {
		env = Start(t, Options{})
		if env.PID != env.cmd.Process.Pid || processGone(env.PID) {
			t.Fatalf("the ready line's pid %d is not the running server %d", env.PID, env.cmd.Process.Pid)
		}
	})
	// The subtest's Cleanup has run: the server was stopped and waited for.
	if !processGone(env.PID) {
		t.Fatalf("server %d still runs after the env's cleanup", env.PID)
	}
	if !env.cmd.ProcessState.Success() {
		t.Errorf("the server did not stop cleanly: %v\n%s", env.cmd.ProcessState, env.Output())
	}
}

// Through a wrapper that runs the server as its child (a shell script, npx), SIGTERM to the wrapper alone would
// leave the server running: the env closes the server's standard input, which the wrapper passes on.
func TestServerStartedThroughAWrapperStops(t *testing.T) {
	command, err := findServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(BinaryEnv, shellWrapper(t, command))
	var env *Env
	t.Run("env", func(t *testing.T) {
		env = Start(t, Options{})
		if env.PID == env.cmd.Process.Pid {
			t.Fatalf("the server runs as the wrapper's process %d", env.PID)
		}
		if env.server == nil || env.server.pid != env.PID {
			t.Fatalf("the server %d is not seen as a descendant of the wrapper %d", env.PID, env.cmd.Process.Pid)
		}
	})
	// Not our child, so not waited for: its exit is seen through /proc.
	waitGone(t, env.PID, "its env's cleanup")
	if !env.cmd.ProcessState.Success() {
		t.Errorf("the wrapper did not exit cleanly: %v\n%s", env.cmd.ProcessState, env.Output())
	}
}

// mislabellingWrapper runs the server with its ready file elsewhere, writes the server's pid to
// $KAMTEST_SERVER_PID_FILE, and hands kamtest the ready line with "pid" replaced by $KAMTEST_READY_PID: what a
// wrapper that runs the server in another pid namespace (unshare --pid --fork, docker, bwrap) reports, a pid
// that here is init's or an unrelated process's. It stays the server's parent and passes its stdin on.
const mislabellingWrapper = `#!/bin/sh
prev=
ready=
for a do
	shift
	if [ "$prev" = --ready-file ]; then ready=$a; a=$a.real; fi
	set -- "$@" "$a"
	prev=$a
done
# An asynchronous command's stdin is /dev/null unless redirected: hand it ours through fd 3.
exec 3<&0
SERVER "$@" <&3 3<&- &
server=$!
exec 3<&-
echo "$server" > "$KAMTEST_SERVER_PID_FILE"
until [ -f "$ready.real" ] && [ "$(wc -l < "$ready.real")" -ge 1 ]; do
	sleep 0.05
done
sed "s/\"pid\":[0-9]*/\"pid\":$KAMTEST_READY_PID/" "$ready.real" > "$ready.tmp" && mv "$ready.tmp" "$ready"
wait "$server"
`

// A ready line's pid that is not the started process or its descendant is never signalled: here it names a
// process the test started itself, which must outlive the env's cleanup, while the real server stops.
func TestReadyLinePidOfAnUnrelatedProcessIsLeftAlone(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("follows pids through /proc")
	}
	command, err := findServer()
	if err != nil {
		t.Fatal(err)
	}
	quoted := make([]string, len(command))
	for i, arg := range command {
		quoted[i] = "'" + strings.ReplaceAll(arg, "'", `'\''`) + "'"
	}
	dir := t.TempDir()
	wrapper := filepath.Join(dir, "kube-auth-mock")
	script := strings.Replace(mislabellingWrapper, "SERVER", strings.Join(quoted, " "), 1)
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	unrelated := exec.Command("sleep", "3600")
	if err := unrelated.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	t.Cleanup(func() {
		if !killed {
			_ = unrelated.Process.Kill()
			_ = unrelated.Wait()
		}
	})
	serverPidFile := filepath.Join(dir, "server.pid")
	t.Setenv(BinaryEnv, wrapper)
	t.Setenv("KAMTEST_READY_PID", strconv.Itoa(unrelated.Process.Pid))
	t.Setenv("KAMTEST_SERVER_PID_FILE", serverPidFile)

	var env *Env
	t.Run("env", func(t *testing.T) {
		env = Start(t, Options{})
		if env.PID != unrelated.Process.Pid {
			t.Fatalf("the env's PID is %d, not the ready line's %d", env.PID, unrelated.Process.Pid)
		}
		if env.server != nil {
			t.Fatalf("process %d, which kamtest did not start, is taken for the server", env.PID)
		}
	})

	if processGone(unrelated.Process.Pid) {
		t.Errorf("process %d, named by the ready line but not started by kamtest, did not outlive the env's cleanup", unrelated.Process.Pid)
	}
	data, err := os.ReadFile(serverPidFile)
	if err != nil {
		t.Fatal(err)
	}
	server, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("%s: %v", serverPidFile, err)
	}
	// The wrapper waits for the server, so this holds already; the server is not our child, hence /proc.
	waitGone(t, server, "its env's cleanup")
	if !env.cmd.ProcessState.Success() {
		t.Errorf("the wrapper did not exit cleanly: %v\n%s", env.cmd.ProcessState, env.Output())
	}

	// The first signal it got is the one it died of: ours, not one from the cleanup.
	killed = true
	_ = unrelated.Process.Kill()
	_ = unrelated.Wait()
	if ws, ok := unrelated.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Errorf("process %d ended with %v, not the test's SIGKILL", unrelated.Process.Pid, unrelated.ProcessState)
	}
}

// childEnv makes TestHelperStartsEnvThenWaits act: it runs only as the child of TestServerDiesWithKilledTestProcess.
const childEnv = "KAMTEST_HELPER_CHILD"

const pidPrefix = "kamtest-server-pid "

func TestHelperStartsEnvThenWaits(t *testing.T) {
	switch os.Getenv(childEnv) {
	case "1":
	case "bad-flag":
		Start(t, Options{Args: []string{"--authorization-mode=Bogus"}})
		return
	case "timeout":
		Start(t, Options{StartTimeout: time.Nanosecond})
		return
	default:
		t.Skip("the child of TestServerDiesWithKilledTestProcess, TestFailedStartShowsTheServersError and TestStartThatTimesOutLeavesNoProcess")
	}
	env := Start(t, Options{})
	fmt.Printf("%s%d\n", pidPrefix, env.PID)
	// Wait to be killed; should the parent test die instead, its end of stdin closes and this returns.
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
}

// A server that cannot start fails the test with one line saying so, then the server's own error.
func TestFailedStartShowsTheServersError(t *testing.T) {
	child := exec.Command(os.Args[0], "-test.run=^TestHelperStartsEnvThenWaits$", "-test.count=1")
	child.Env = append(os.Environ(), childEnv+"=bad-flag", "TMPDIR="+t.TempDir())
	out, err := child.CombinedOutput()
	if err == nil {
		t.Fatalf("the child test passed:\n%s", out)
	}
	for _, want := range []string{
		" did not start: the server exited before it was ready (exit status 1)\n",
		"--- its output ---\n",
		`kube-auth-mock serve: --authorization-mode: authorization-mode "Bogus" is not a valid mode`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the child's output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(string(out), "is not a valid mode"); n != 1 {
		t.Errorf("the server's error is shown %d times, want once:\n%s", n, out)
	}
}

// A start that gives up before the server is ready stops what it started, through a wrapper too: the process
// runs by then, and only its cleanup closes its stdin.
func TestStartThatTimesOutLeavesNoProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("looks for leftover processes in /proc")
	}
	command, err := findServer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		wrapped bool
	}{{"direct", false}, {"shell wrapper", true}} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			child := exec.Command(os.Args[0], "-test.run=^TestHelperStartsEnvThenWaits$", "-test.count=1")
			child.Env = append(os.Environ(), childEnv+"=timeout", "TMPDIR="+tmp)
			if tc.wrapped {
				child.Env = append(child.Env, BinaryEnv+"="+shellWrapper(t, command))
			}
			out, err := child.CombinedOutput()
			if err == nil {
				t.Fatalf("the child test passed:\n%s", out)
			}
			if want := " did not start: the server was not ready after 1ns\n"; !strings.Contains(string(out), want) {
				t.Errorf("the child's output lacks %q:\n%s", want, out)
			}
			// The child's cleanup waited for what it started, so anything still running is a leak.
			if left := processesNaming(tmp); len(left) > 0 {
				t.Errorf("still running after the child test ended:\n%s", strings.Join(left, "\n"))
			}
		})
	}
}

// shellWrapper writes a shell script that runs command with its arguments without exec: the shell stays the
// server's parent, as npm does.
func shellWrapper(t *testing.T, command []string) string {
	t.Helper()
	quoted := make([]string, len(command))
	for i, arg := range command {
		quoted[i] = "'" + strings.ReplaceAll(arg, "'", `'\''`) + "'"
	}
	wrapper := filepath.Join(t.TempDir(), "kube-auth-mock")
	if err := os.WriteFile(wrapper, []byte("#!/bin/sh\n"+strings.Join(quoted, " ")+` "$@"`+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return wrapper
}

// processesNaming lists the running processes whose command line holds s, a folder only the test's servers name.
func processesNaming(s string) []string {
	var found []string
	entries, _ := os.ReadDir("/proc")
	for _, entry := range entries {
		pid, err := strconv.Atoi(entry.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", entry.Name(), "cmdline"))
		if err != nil || processGone(pid) { // exited meanwhile
			continue
		}
		if line := strings.ReplaceAll(string(cmdline), "\x00", " "); strings.Contains(line, s) {
			found = append(found, fmt.Sprintf("%d: %s", pid, line))
		}
	}
	return found
}

// A test process killed by SIGKILL runs no Cleanup: the server must notice by itself that its parent is gone.
func TestServerDiesWithKilledTestProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("watches the server's pid through /proc")
	}
	child := exec.Command(os.Args[0], "-test.run=^TestHelperStartsEnvThenWaits$", "-test.count=1")
	// The child's t.TempDir, which its killed Cleanup never removes, goes under ours.
	child.Env = append(os.Environ(), childEnv+"=1", "TMPDIR="+t.TempDir())
	var stderr bytes.Buffer
	child.Stderr = &stderr
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	pid := 0
	var seen []string
	for lines := bufio.NewScanner(stdout); pid == 0 && lines.Scan(); {
		seen = append(seen, lines.Text())
		if rest, ok := strings.CutPrefix(lines.Text(), pidPrefix); ok {
			pid, _ = strconv.Atoi(rest)
		}
	}
	if pid == 0 {
		_ = child.Process.Kill()
		_ = child.Wait()
		t.Fatalf("the child test printed no server pid:\n%s\n%s", strings.Join(seen, "\n"), stderr.String())
	}
	if processGone(pid) {
		t.Fatalf("server %d is not running before the kill", pid)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()

	waitGone(t, pid, "its test process was killed")
}

// waitGone polls /proc until pid has exited; the bound only keeps a server that never exits from hanging the run.
func waitGone(t *testing.T, pid int, after string) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	bound := time.After(time.Minute)
	for !processGone(pid) {
		select {
		case <-tick.C:
		case <-bound:
			t.Fatalf("server %d still runs a minute after %s", pid, after)
		}
	}
}

func TestCertUserCannotCarryExtra(t *testing.T) {
	env := &Env{}
	msg := fatalMessage(func(tb testing.TB) {
		env.AddUser(tb, User{Name: "jane", Extra: map[string][]string{"team": {"a"}}}, Cert)
	})
	const want = `kamtest: AddUser "jane" with Cert cannot carry Extra: kube's x509 authenticator reads only CN (name), O (groups) and the UID attribute; use kamtest.Token`
	if msg != want {
		t.Errorf("got  %s\nwant %s", msg, want)
	}
}

func TestFindServer(t *testing.T) {
	t.Run("KUBE_AUTH_MOCK_BIN missing", func(t *testing.T) {
		t.Setenv(BinaryEnv, "/nonexistent/kube-auth-mock")
		_, err := findServer()
		if want := "KUBE_AUTH_MOCK_BIN=/nonexistent/kube-auth-mock: no such file or directory"; err == nil || err.Error() != want {
			t.Errorf("got %v, want %s", err, want)
		}
	})
	t.Run("checkout without dist", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"name": "kube-auth-mock"}`), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(dir, "go"), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv(BinaryEnv, "")
		t.Chdir(filepath.Join(dir, "go"))
		_, err := findServer()
		if err == nil || !strings.Contains(err.Error(), "without dist/cli/main.js: run npm run build there") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("nothing installed", func(t *testing.T) {
		dir := t.TempDir()
		t.Setenv(BinaryEnv, "")
		t.Setenv("PATH", dir)
		t.Chdir(dir)
		_, err := findServer()
		want := "kube-auth-mock not found from " + dir + ": npm install --save-dev kube-auth-mock (in this folder or a parent), or set KUBE_AUTH_MOCK_BIN"
		if err == nil || err.Error() != want {
			t.Errorf("got  %v\nwant %s", err, want)
		}
	})
	t.Run("node_modules/.bin nearest wins", func(t *testing.T) {
		dir := t.TempDir()
		bin := filepath.Join(dir, "node_modules", ".bin", "kube-auth-mock")
		if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, nil, 0o755); err != nil {
			t.Fatal(err)
		}
		sub := filepath.Join(dir, "pkg", "controller")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv(BinaryEnv, "")
		t.Chdir(sub)
		got, err := findServer()
		if err != nil || len(got) != 1 || got[0] != bin {
			t.Errorf("got %v, %v; want [%s]", got, err, bin)
		}
	})
}

// fatalMessage runs f with a testing.TB whose Fatalf records its message and ends f, as the real one would.
func fatalMessage(f func(testing.TB)) string {
	rec := &fatalRecorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(rec)
	}()
	<-done
	return rec.msg
}

type fatalRecorder struct {
	testing.TB // nil: any other method panics, which would show a use this test did not expect
	msg        string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// The README's complete test is readme_test.go, apart from its package name.
func TestREADMEExampleIsReadmeTestGo(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, block, _ := strings.Cut(string(readme), "```go\npackage rbac_test\n")
	block, _, _ = strings.Cut(block, "```")
	if want := strings.TrimPrefix(string(file), "package kamtest_test\n"); block != want {
		t.Errorf("go/README.md's complete test differs from kamtest/readme_test.go: copy one onto the other")
	}
}
