package apptest

import (
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/quirehq/quire/internal/dbtest"
)

// DBProxy stands between a test's Quire and its database, on a Unix
// socket of its own, so that a test can take PostgreSQL away as an outage
// does (every connection cut, new ones refused) and bring it back. The
// same proxy, on TCP (NewTCPProxy), stands before any other server: an
// object store, for one.
type DBProxy struct {
	t            testing.TB
	network      string // of both ends: unix or tcp
	listenPath   string
	upstreamPath string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

// StartBehindProxy is Start on a fresh database reached through a DBProxy.
func StartBehindProxy(t testing.TB, opts ...Options) (*Server, *DBProxy) {
	t.Helper()
	p, proxied := NewDBProxy(t, dbtest.URL(t))
	env := map[string]string{"DATABASE_URL": proxied}
	for _, o := range opts {
		for k, v := range o.Env {
			env[k] = v
		}
	}
	return Start(t, Options{Env: env}), p
}

// NewDBProxy starts a proxy to the database of dbURL (a Unix-socket URL, as
// dbtest gives) and returns it with the URL that goes through it.
func NewDBProxy(t testing.TB, dbURL string) (*DBProxy, string) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	sock := ".s.PGSQL." + q.Get("port")
	// Socket paths are short (about 100 bytes): not under t.TempDir.
	dir, err := os.MkdirTemp("", "pgproxy")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	p := &DBProxy{t: t, network: "unix", listenPath: filepath.Join(dir, sock), upstreamPath: filepath.Join(q.Get("host"), sock), conns: map[net.Conn]bool{}}
	p.Restore()
	t.Cleanup(p.Cut)
	q.Set("host", dir)
	u.RawQuery = q.Encode()
	return p, u.String()
}

// NewTCPProxy starts a proxy to the TCP server at upstream (host:port) and
// returns it with the host:port that goes through it.
func NewTCPProxy(t testing.TB, upstream string) (*DBProxy, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	p := &DBProxy{t: t, network: "tcp", listenPath: addr, upstreamPath: upstream, conns: map[net.Conn]bool{}}
	p.Restore()
	t.Cleanup(p.Cut)
	return p, addr
}

// Cut takes the database away: open connections are closed and new ones
// refused, until Restore.
func (p *DBProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		_ = c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

// Restore brings the database back.
func (p *DBProxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		return
	}
	if p.network == "unix" {
		_ = os.Remove(p.listenPath)
	}
	ln, err := net.Listen(p.network, p.listenPath)
	if err != nil {
		p.t.Fatalf("database proxy: %v", err)
	}
	p.ln = ln
	go p.accept(ln)
}

func (p *DBProxy) accept(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial(p.network, p.upstreamPath)
		if err != nil {
			_ = c.Close()
			continue
		}
		p.mu.Lock()
		if p.ln != ln { // cut while dialling
			p.mu.Unlock()
			_ = c.Close()
			_ = up.Close()
			return
		}
		p.conns[c], p.conns[up] = true, true
		p.mu.Unlock()
		go pipe(c, up)
		go pipe(up, c)
	}
}

func pipe(dst, src net.Conn) {
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = src.Close()
}
