//go:build unix && !aix

package main

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// lockFile takes an exclusive lock on f without waiting, held until f is
// closed or the process ends (kill -9 included). errLocked means another
// process (or another open of the file in this one) holds it. It is flock(2),
// which golang.org/x/sys/unix has on every unix Go builds for but AIX
// (syscall.Flock lacks solaris and illumos).
func lockFile(f *os.File) error {
	err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return errLocked
	}
	return err
}
