//go:build !unix && !windows

package main

import "os"

// lockFile does nothing where the system has no advisory file locks
// (js, wasip1, plan9): one import per results file is then up to the user.
func lockFile(*os.File) error { return nil }
