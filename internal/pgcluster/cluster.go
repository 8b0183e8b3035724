package pgcluster

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options say where the cluster lives and how durable it must be.
type Options struct {
	// Dir is the cluster's data folder; it is created (with initdb) when empty.
	Dir string
	// Bin is the folder of the server binaries; empty means FindBinaries("").
	Bin string
	// Ephemeral turns fsync and friends off: for test clusters that are thrown away.
	Ephemeral bool
	Log       *slog.Logger
}

// Cluster is a running PostgreSQL server owned by this process.
type Cluster struct {
	Dir       string
	SocketDir string
	Port      int
	bin       string
	cred      *syscall.Credential
	owner     [2]int // uid, gid that own the files; -1 when not root
	log       *slog.Logger
	tmpSocket bool
}

// maxSocketPath is the longest Unix socket path Linux accepts (sun_path).
const maxSocketPath = 107

// Start creates the cluster if needed and starts it on a free loopback port and
// a private Unix socket. A server left running by a process that was killed is
// stopped first, so the new one always gets a known port.
func Start(ctx context.Context, o Options) (*Cluster, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	bin := o.Bin
	if bin == "" {
		var err error
		if bin, err = FindBinaries(""); err != nil {
			return nil, err
		}
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, bin: bin, owner: [2]int{-1, -1}, log: o.Log}
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root: run it as the postgres user.
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root needs the postgres user (created by the PostgreSQL package): %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		c.owner = [2]int{uid, gid}
	}
	// Parents must be enterable by the postgres user; the cluster itself is private.
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", filepath.Dir(dir), err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
		return nil, fmt.Errorf("creating %s: %w", dir, err)
	}
	if !Reachable(dir) {
		return nil, fmt.Errorf("the postgres user cannot enter a parent folder of %s (PostgreSQL refuses to run as root, so Quire runs it as postgres); choose a data folder outside /root, e.g. QUIRE_DATA_DIR=/var/lib/quire", dir)
	}
	if err := c.chown(dir); err != nil {
		return nil, err
	}
	if err := c.initIfEmpty(ctx, o.Ephemeral); err != nil {
		return nil, err
	}
	if ok, err := c.adopt(ctx); err != nil || ok {
		return c, err
	}
	if err := c.pickSocketDir(); err != nil {
		return nil, err
	}
	if c.Port, err = freePort(); err != nil {
		return nil, err
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c max_connections=200", c.Port, c.SocketDir)
	if o.Ephemeral {
		opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	}
	logFile := filepath.Join(dir, "server.log")
	start := time.Now()
	if out, err := c.run(ctx, "pg_ctl", "-D", dir, "-l", logFile, "-w", "-t", "60", "-o", opts, "start"); err != nil {
		tail, _ := os.ReadFile(logFile)
		return nil, fmt.Errorf("starting PostgreSQL: %w\n%s\n%s", err, out, lastLines(tail, 10))
	}
	c.log.Info("embedded PostgreSQL started", "dir", dir, "port", c.Port, "socket", c.SocketDir, "took", time.Since(start).Round(time.Millisecond))
	return c, nil
}

// Reachable reports whether the postgres user (when running as root) can enter
// dir: every parent folder needs search permission for it. /root is the usual
// trap.
func Reachable(dir string) bool {
	if os.Geteuid() != 0 {
		return true
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return false
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for p := filepath.Dir(abs); ; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		if os.IsNotExist(err) && p != "/" {
			continue // will be created enterable by Start
		}
		if err != nil {
			return false
		}
		sys := st.Sys().(*syscall.Stat_t)
		mode := st.Mode().Perm()
		ok := mode&0o001 != 0 || (int(sys.Uid) == uid && mode&0o100 != 0) || (int(sys.Gid) == gid && mode&0o010 != 0)
		if !ok {
			return false
		}
		if p == "/" {
			return true
		}
	}
}

// FallbackDir is where a root-run cluster lives when the postgres user cannot
// reach the configured data folder: a stable place per data folder, so data
// still survives restarts.
func FallbackDir(dataDir string) string {
	abs, _ := filepath.Abs(dataDir)
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join("/var/lib/quire/clusters", hex.EncodeToString(sum[:6]))
}

func (c *Cluster) initIfEmpty(ctx context.Context, ephemeral bool) error {
	if _, err := os.Stat(filepath.Join(c.Dir, "PG_VERSION")); err == nil {
		return nil
	}
	entries, err := os.ReadDir(c.Dir)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty and holds no PostgreSQL cluster; move it away or choose another QUIRE_DATA_DIR", c.Dir)
	}
	args := []string{"-D", c.Dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"}
	if ephemeral {
		args = append(args, "--no-sync")
	}
	start := time.Now()
	if out, err := c.run(ctx, "initdb", args...); err != nil {
		return fmt.Errorf("initdb: %w\n%s", err, out)
	}
	c.log.Info("created PostgreSQL cluster", "dir", c.Dir, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// adopt takes over a server still running on this data folder (its owner
// was killed without a chance to stop it), reading its port and socket from
// postmaster.pid. A pid file left by a crashed server is ignored: PostgreSQL
// removes it itself on the next start.
func (c *Cluster) adopt(ctx context.Context) (bool, error) {
	b, err := os.ReadFile(filepath.Join(c.Dir, "postmaster.pid"))
	if err != nil {
		return false, nil
	}
	if _, err := c.run(ctx, "pg_ctl", "-D", c.Dir, "status"); err != nil {
		return false, nil
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 5 {
		return false, fmt.Errorf("%s/postmaster.pid is unreadable; stop that server by hand", c.Dir)
	}
	port, err := strconv.Atoi(strings.TrimSpace(lines[3]))
	if err != nil {
		return false, fmt.Errorf("%s/postmaster.pid has no port", c.Dir)
	}
	c.Port, c.SocketDir = port, strings.TrimSpace(lines[4])
	c.log.Warn("reusing a PostgreSQL server left running by an earlier run", "dir", c.Dir, "port", port)
	return true, nil
}

func (c *Cluster) pickSocketDir() error {
	dir := filepath.Join(c.Dir, "socket")
	if len(dir)+len("/.s.PGSQL.65535") <= maxSocketPath {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		c.SocketDir = dir
		return c.chown(dir)
	}
	tmp, err := os.MkdirTemp("", "quire-pg-")
	if err != nil {
		return err
	}
	c.SocketDir, c.tmpSocket = tmp, true
	return c.chown(tmp)
}

// URL is a connection URL for database db over the private Unix socket.
func (c *Cluster) URL(db string) string {
	q := url.Values{"host": {c.SocketDir}, "port": {strconv.Itoa(c.Port)}, "sslmode": {"disable"}}
	return "postgres://postgres@/" + url.PathEscape(db) + "?" + q.Encode()
}

// EnsureDatabase creates database name unless it exists already.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(ctx) }()
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return err
}

// Stop shuts the server down (fast mode: open sessions are ended) and waits
// for it to exit, so no postgres process outlives its owner.
func (c *Cluster) Stop(ctx context.Context) error {
	pid := c.postmasterPID()
	out, err := c.run(ctx, "pg_ctl", "-D", c.Dir, "-m", "fast", "-w", "-t", "60", "stop")
	if c.tmpSocket {
		os.RemoveAll(c.SocketDir)
	}
	if err != nil {
		return fmt.Errorf("stopping PostgreSQL: %w\n%s", err, out)
	}
	// pg_ctl returns once the pid file is gone, which the postmaster
	// removes just before it exits; on a busy machine the process can
	// outlive that by a moment. Wait for the process itself.
	if err := waitExited(ctx, pid, time.Minute); err != nil {
		return fmt.Errorf("stopping PostgreSQL: %w", err)
	}
	c.log.Info("embedded PostgreSQL stopped", "dir", c.Dir)
	return nil
}

// postmasterPID is the server's pid from its pid file, 0 if unknown.
func (c *Cluster) postmasterPID() int {
	b, err := os.ReadFile(filepath.Join(c.Dir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	return pid
}

// waitExited waits until process pid has exited (or is a zombie waiting
// for its parent), for at most bound.
func waitExited(ctx context.Context, pid int, bound time.Duration) error {
	if pid <= 0 {
		return nil
	}
	deadline := time.Now().Add(bound)
	for {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return nil // gone
		}
		// The state follows the command name in parentheses: "Z" is a zombie.
		if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server (pid %d) was still running %v after pg_ctl stop returned", pid, bound)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (c *Cluster) run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	// Own process group: a Ctrl-C meant for Quire must not reach postgres
	// before Quire has closed its connections.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.cred}
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

func (c *Cluster) chown(path string) error {
	if c.owner[0] < 0 {
		return nil
	}
	if err := os.Chown(path, c.owner[0], c.owner[1]); err != nil {
		return fmt.Errorf("giving %s to the postgres user: %w", path, err)
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Scratch is a throwaway cluster in a temporary folder of its own, with an
// empty database named quire: for the benchmark tools in cmd/.
type Scratch struct {
	*Cluster
	// Dir is the temporary folder; the cluster lives in Dir/pg, and the
	// caller may keep other throwaway files beside it.
	Dir string
}

// StartScratch starts a Scratch cluster in a new temporary folder named
// after prefix. Close stops it and removes the folder.
func StartScratch(ctx context.Context, prefix string) (*Scratch, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, err
	}
	_ = os.Chmod(dir, 0o755) // the postgres user must reach Dir/pg
	cl, err := Start(ctx, Options{Dir: filepath.Join(dir, "pg")})
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	s := &Scratch{Cluster: cl, Dir: dir}
	if err := cl.EnsureDatabase(ctx, "quire"); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close stops the cluster and removes its folder.
func (s *Scratch) Close() {
	_ = s.Stop(context.Background())
	_ = os.RemoveAll(s.Dir)
}
