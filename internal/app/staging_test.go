package app_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestAReplicaCleansWhatItsKilledPredecessorStaged: files a killed process
// left in its staging folder are gone soon after the next start, on every
// replica whatever the collection lease; a file young enough to belong to
// an upload in flight stays.
func TestAReplicaCleansWhatItsKilledPredecessorStaged(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tmp := filepath.Join(dir, "blobs", "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	old, young := filepath.Join(tmp, "stage-left-by-a-kill"), filepath.Join(tmp, "stage-in-flight")
	for _, f := range []string{old, young} {
		if err := os.WriteFile(f, []byte("half an upload"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	hourAgo := time.Now().Add(-time.Hour)
	if err := os.Chtimes(old, hourAgo, hourAgo); err != nil {
		t.Fatal(err)
	}
	apptest.Start(t, apptest.Options{Env: map[string]string{"QUIRE_DATA_DIR": dir}})
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(old); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the staged file of the killed process is still there a minute after the start")
		}
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("a young staged file was removed: %v", err)
	}
}
