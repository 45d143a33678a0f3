package kamtest

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// procIdentity names one process for as long as it lives: a pid alone may be reused once the process is gone,
// but not together with the start time the kernel recorded for it.
type procIdentity struct {
	pid   int
	start string
}

// procStat is what kamtest reads of /proc/<pid>/stat: the state, the parent's pid and the start time.
type procStat struct {
	state string
	ppid  int
	start string
}

// readProcStat reads /proc/<pid>/stat; ok is false when there is no such process, or no /proc (not Linux).
func readProcStat(pid int) (st procStat, ok bool) {
	if pid <= 0 {
		return st, false
	}
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return st, false
	}
	// "pid (comm) S ppid ...": the fields follow the last ')', since comm may hold anything. proc(5) numbers
	// them from 1: state is 3, ppid 4, starttime 22.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return st, false
	}
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 20 {
		return st, false
	}
	ppid, err := strconv.Atoi(fields[1])
	if err != nil {
		return st, false
	}
	return procStat{state: fields[0], ppid: ppid, start: fields[19]}, true
}

// processGone tells whether pid has exited: no /proc entry, or a zombie nobody has reaped yet (an orphan's
// exit in a container whose init does not reap).
func processGone(pid int) bool {
	st, ok := readProcStat(pid)
	return !ok || st.state == "Z" || st.state == "X"
}

// descendant identifies pid if it is ancestor itself or a descendant of it, following the ppid chain in /proc: a wrapper
// (unshare --pid --fork, docker, bwrap) may report a pid from another pid namespace, which here names init or
// an unrelated process, and a pid may have been reused. ok is false for anything else, and without /proc.
func descendant(pid, ancestor int) (id procIdentity, ok bool) {
	st, found := readProcStat(pid)
	if !found || processGone(pid) {
		return id, false
	}
	id = procIdentity{pid: pid, start: st.start}
	if pid == ancestor {
		return id, true
	}
	// A ppid chain ends at 1 (init) or 0 (the kernel's threads, and the parent of a container's init as seen
	// from inside); the bound only guards against a chain that changes while it is walked.
	for hops, p := 0, st.ppid; p > 0 && hops < 4096; hops++ {
		if p == ancestor {
			return id, true
		}
		parent, found := readProcStat(p)
		if !found {
			return id, false
		}
		p = parent.ppid
	}
	return id, false
}

// gone tells whether the process id names has exited, or its pid now belongs to another process.
func (id procIdentity) gone() bool {
	st, ok := readProcStat(id.pid)
	return !ok || st.state == "Z" || st.state == "X" || st.start != id.start
}

// signalIfDescendant sends sig to the process id names, only while it is still that process and still a
// descendant of ancestor: never to whatever else its pid may name by then.
func (id procIdentity) signalIfDescendant(ancestor int, sig syscall.Signal) {
	if now, ok := descendant(id.pid, ancestor); ok && now == id {
		_ = syscall.Kill(id.pid, sig)
	}
}

// waitGone polls /proc until the process id names has exited, for at most bound; it tells whether it has.
// There is no event for the exit of a process that is not one's child, so polling is the way to see it.
func (id procIdentity) waitGone(bound time.Duration) bool {
	deadline := time.Now().Add(bound)
	for !id.gone() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}
