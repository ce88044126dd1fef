//go:build !unix

package main

import "os"

// notifyResize delivers nothing where the system has no resize signal
// (Windows): the progress line asks for the width at every redraw instead.
func notifyResize() (resized <-chan os.Signal, stop func()) {
	return nil, func() {}
}
