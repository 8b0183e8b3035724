package procstat

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// A child that burns CPU and is waited for shows under this process, and
// the tree's sums agree with /proc's own view of it.
func TestReadSeesThisProcessAndItsChildren(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc here")
	}
	before := Read()
	me, ok := before[os.Getpid()]
	if !ok || me.PPID != os.Getppid() {
		t.Fatalf("this process in /proc: %+v %v, parent %d", me, ok, os.Getppid())
	}
	cmd := exec.Command("sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	after := Read()
	if got := after[os.Getpid()].Children - me.Children; got <= 0 {
		t.Fatalf("the waited-for child's CPU did not count: %v", got)
	}
	if after.Below(os.Getpid()) < after[os.Getpid()].Children {
		t.Fatal("Below leaves out the waited-for children")
	}
	if Self() <= 0 {
		t.Fatal("no CPU time of our own")
	}
}

func TestPostmasterFindsThePidFile(t *testing.T) {
	dir := t.TempDir()
	if Postmaster(dir) != 0 {
		t.Fatal("a pid without a file")
	}
	data := filepath.Join(dir, "pg", "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "postmaster.pid"), []byte("4242\n/x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := Postmaster(dir); got != 4242 {
		t.Fatalf("Postmaster = %d", got)
	}
}
