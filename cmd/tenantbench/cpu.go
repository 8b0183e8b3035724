package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"time"

	"github.com/quirehq/quire/internal/procstat"
)

// cpuPerPage opens each page n times, one request at a time, and reports
// the CPU time spent per page by this process (Quire, and the client's
// small share) and by PostgreSQL's backends: on a machine shared with other
// work, the wall clock measures the queue for the cores as much as the
// page, the CPU time far less so.
func cpuPerPage(base string, n int, ps people, tokens map[int64]string, pgDir string) error {
	client := &http.Client{Timeout: time.Minute}
	rng := rand.New(rand.NewPCG(7, 7))
	fmt.Printf("%d requests of each page, one at a time: CPU time per page\n", n)
	fmt.Printf("%-20s %8s %12s %12s %12s\n", "page", "p50", "Quire CPU", "Postgres CPU", "total")
	for _, page := range []string{"reviewer home", "chair dashboard", "public venue list"} {
		var lat []time.Duration
		q0, p0 := procstat.Self(), postgresCPU(pgDir)
		for range n {
			var path, tok string
			switch page {
			case "reviewer home":
				path, tok = "/", tokens[ps.reviewers[rng.IntN(len(ps.reviewers))]]
			case "chair dashboard":
				v := rng.IntN(len(ps.slugs))
				path, tok = "/venues/"+ps.slugs[v]+"/chair", tokens[ps.chairs[v]]
			default:
				path = "/venues"
			}
			req, _ := http.NewRequest("GET", base+path, nil)
			if tok != "" {
				req.AddCookie(&http.Cookie{Name: "quire_access", Value: tok})
			}
			t0 := time.Now()
			res, err := client.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				return fmt.Errorf("%s: %s", path, res.Status)
			}
			lat = append(lat, time.Since(t0))
		}
		q, p := (procstat.Self()-q0)/time.Duration(n), (postgresCPU(pgDir)-p0)/time.Duration(n)
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		fmt.Printf("%-20s %8s %12s %12s %12s\n", page, lat[len(lat)/2].Round(100*time.Microsecond),
			q.Round(10*time.Microsecond), p.Round(10*time.Microsecond), (q + p).Round(10*time.Microsecond))
	}
	return nil
}

// postgresCPU sums the CPU time of the postmaster's children (the backends
// and PostgreSQL's own workers); 0 where there is none.
func postgresCPU(pgDir string) time.Duration {
	pm := procstat.Postmaster(pgDir)
	if pm == 0 {
		return 0
	}
	return procstat.Read().ChildrenOwn(pm)
}
