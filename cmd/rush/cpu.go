package main

import (
	"fmt"
	"time"

	"github.com/quirehq/quire/internal/procstat"
)

// CPU per accepted upload, by who spends it: the machine is shared with
// other work, so the rate alone says little, and CPU time is the steadier
// figure. Read from /proc at the start of the rush and at its deadline.

// cpuSplit is CPU time by group.
type cpuSplit struct {
	client, server, checks, postgres time.Duration
}

// takeCPU sums the CPU of this client, the server processes (their own),
// everything below them (check workers, pdftohtml, pdftoppm) and the
// rush's own PostgreSQL cluster.
func takeCPU(servers []int, pgDir string) cpuSplit {
	s := cpuSplit{client: procstat.Self()}
	procs := procstat.Read()
	for _, pid := range servers {
		s.server += procs[pid].Own
		s.checks += procs.Below(pid)
	}
	if pm := procstat.Postmaster(pgDir); pm > 0 {
		s.postgres = procs[pm].Own + procs.Below(pm)
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
