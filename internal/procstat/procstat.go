// Package procstat reads processes' CPU time from /proc, for the
// benchmarks that measure what Quire, its workers and PostgreSQL spend
// (cmd/rush, cmd/tenantbench): on a machine shared with other work the
// wall clock measures the queue for the cores as much as the work, CPU
// time far less so.
package procstat

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// userHZ is USER_HZ, the unit of /proc's times, on every Linux Go runs on.
const userHZ = 100

// Proc is one process's parent and CPU time: its own, and that of its
// children it has waited for.
type Proc struct {
	PPID          int
	Own, Children time.Duration
}

// Procs are the machine's processes at one moment, by pid.
type Procs map[int]Proc

// Read reads every process's /proc/PID/stat; a process gone meanwhile is
// left out.
func Read() Procs {
	out := Procs{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ... utime stime cutime cstime: counted after
		// the command name, which may hold spaces and parentheses.
		i, j := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
		if i < 0 || j < i {
			continue
		}
		f := strings.Fields(string(b[j+1:]))
		if len(f) < 15 {
			continue
		}
		n := func(k int) time.Duration {
			v, _ := strconv.ParseInt(f[k], 10, 64)
			return time.Duration(v) * time.Second / userHZ
		}
		ppid, _ := strconv.Atoi(f[1])
		out[pid] = Proc{PPID: ppid, Own: n(11) + n(12), Children: n(13) + n(14)}
	}
	return out
}

// Below is the CPU time of everything under pid: its descendants' own
// time, and what each has waited for of children already gone.
func (ps Procs) Below(pid int) time.Duration {
	kids := map[int][]int{}
	for p, x := range ps {
		kids[x.PPID] = append(kids[x.PPID], p)
	}
	var below func(pid int) time.Duration
	below = func(pid int) time.Duration {
		var t time.Duration
		for _, k := range kids[pid] {
			t += ps[k].Own + below(k)
		}
		return t + ps[pid].Children
	}
	return below(pid)
}

// ChildrenOwn is the own CPU time of pid's living children.
func (ps Procs) ChildrenOwn(pid int) time.Duration {
	var t time.Duration
	for _, x := range ps {
		if x.PPID == pid {
			t += x.Own
		}
	}
	return t
}

// Self is this process's CPU time.
func Self() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Postmaster is the pid in the postmaster.pid of a PostgreSQL data folder
// at dir or up to two levels below it, 0 where there is none.
func Postmaster(dir string) int {
	for _, pat := range []string{"postmaster.pid", "*/postmaster.pid", "*/*/postmaster.pid"} {
		ms, _ := filepath.Glob(filepath.Join(dir, pat))
		for _, m := range ms {
			b, err := os.ReadFile(m)
			if err != nil {
				continue
			}
			line, _, _ := strings.Cut(string(b), "\n")
			if pid, err := strconv.Atoi(strings.TrimSpace(line)); err == nil {
				return pid
			}
		}
	}
	return 0
}
