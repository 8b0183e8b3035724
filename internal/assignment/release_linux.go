package assignment

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// releaseCode gives back the executable's read-only pages (code, constant
// data) that are mapped in at this point. The quire binary carries the
// whole server: starting it runs the initialisation of every package, and
// the kernel maps code around each page touched, so about 20 MB of code
// pages are resident before `assign solve` reads its first byte although
// the solver needs a few hundred kilobytes of them. Those pages are clean
// copies of the file, so dropping them is safe: any page needed later is
// mapped in again from the page cache. Writable mappings are left alone.
func releaseCode() {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "start-end perms offset dev inode path"
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[5] != exe || strings.Contains(fields[1], "w") {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), syscall.MADV_DONTNEED)
	}
}
