package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CPU per accepted upload, by who spends it: the machine is shared with
// other work, so the rate alone says little, and CPU time is the steadier
// figure. Read from /proc at the start of the rush and at its deadline.

// procCPU is one process's own and its waited-for children's CPU time.
type procCPU struct {
	ppid          int
	own, children time.Duration
}

const userHZ = 100 // USER_HZ on every Linux Go runs on

func readProcs() map[int]procCPU {
	out := map[int]procCPU{}
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
		out[pid] = procCPU{ppid: ppid, own: n(11) + n(12), children: n(13) + n(14)}
	}
	return out
}

// cpuSplit is CPU time by group.
type cpuSplit struct {
	client, server, checks, postgres time.Duration
}

// takeCPU sums the CPU of this client, the server processes (their own),
// everything below them (check workers, pdftohtml, pdftoppm) and the
// rush's own PostgreSQL cluster.
func takeCPU(servers []int, pgDir string) cpuSplit {
	var s cpuSplit
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.client = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	procs := readProcs()
	kids := map[int][]int{}
	for pid, p := range procs {
		kids[p.ppid] = append(kids[p.ppid], pid)
	}
	var below func(pid int) time.Duration
	below = func(pid int) time.Duration {
		var t time.Duration
		for _, k := range kids[pid] {
			t += procs[k].own + below(k)
		}
		return t + procs[pid].children
	}
	for _, pid := range servers {
		s.server += procs[pid].own
		s.checks += below(pid)
	}
	if pm := postmasterPID(pgDir); pm > 0 {
		s.postgres = procs[pm].own + below(pm)
	}
	return s
}

func (s cpuSplit) sub(t cpuSplit) cpuSplit {
	return cpuSplit{s.client - t.client, s.server - t.server, s.checks - t.checks, s.postgres - t.postgres}
}

func (s cpuSplit) String(n int) string {
	if n == 0 {
		return "no uploads"
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
	return fmt.Sprintf("%.1f ms in all: server %.1f, check workers with pdftohtml %.1f, PostgreSQL %.1f, this client %.1f",
		ms(s.client+s.server+s.checks+s.postgres), ms(s.server), ms(s.checks), ms(s.postgres), ms(s.client))
}

// postmasterPID reads the cluster's postmaster.pid, wherever under dir the
// data folder is.
func postmasterPID(dir string) int {
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
