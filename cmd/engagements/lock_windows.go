//go:build windows

package main

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockFile takes an exclusive lock on f without waiting, held until f is
// closed or the process ends. It locks one byte far past any file's end, so
// that reading the file through another handle still works. errLocked means
// another process (or another open of the file in this one) holds it.
func lockFile(f *os.File) error {
	ol := new(windows.Overlapped)
	ol.OffsetHigh = 0x7fffffff
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return errLocked
	}
	return err
}
