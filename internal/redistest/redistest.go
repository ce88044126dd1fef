// Package redistest runs a real redis-server for tests: a process of the
// test's own on a free port of 127.0.0.1, without persistence, in a
// temporary folder, stopped when the test ends. Without the binary the test
// is skipped, except in CI (CI=true), where .ci/run installs it and its
// absence is a failure. The shared-limit tests of facade/redislimit and of
// the command-line tool use it.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is a redis-server process of the test's own.
type Server struct {
	bin, dir string
	port     int
	mu       sync.Mutex
	cmd      *exec.Cmd
	exited   chan struct{}
	log      strings.Builder
}

// Start starts a redis-server for the test and stops it when the test
// ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server is not installed; .ci/run installs it (apt-get install redis-server)")
		}
		t.Skip("redis-server is not installed (apt-get install redis-server): skipping the tests against a real Redis")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{bin: bin, dir: t.TempDir(), port: l.Addr().(*net.TCPAddr).Port}
	l.Close()
	s.Restart(t)
	t.Cleanup(func() { s.signal(syscall.SIGTERM) })
	return s
}

// URL is the server's address, database 0, as redislimit.FromURL and the
// tool's --shared-limit take it.
func (s *Server) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", s.port) }

// Restart runs the server (again, after Kill: on the same port, empty) and
// returns once it accepts connections.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	cmd := exec.Command(s.bin, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", s.dir, "--logfile", "", "--daemonize", "no", "--protected-mode", "yes")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready, exited := make(chan struct{}), make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		once := sync.OnceFunc(func() { close(ready) })
		for sc.Scan() {
			s.mu.Lock()
			s.log.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
			if strings.Contains(sc.Text(), "Ready to accept connections") {
				once()
			}
		}
		_ = cmd.Wait()
		close(exited)
	}()
	select {
	case <-ready:
	case <-exited:
		t.Fatalf("redis-server exited:\n%s", s.output())
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("redis-server not ready within 20 s:\n%s", s.output())
	}
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.mu.Unlock()
}

func (s *Server) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// signal sends sig to the server; SIGKILL and SIGTERM wait for it to exit.
func (s *Server) signal(sig syscall.Signal) {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	if sig == syscall.SIGTERM {
		_ = cmd.Process.Signal(syscall.SIGCONT) // a paused server cannot exit
	}
	_ = cmd.Process.Signal(sig)
	if sig == syscall.SIGKILL || sig == syscall.SIGTERM {
		<-exited
	}
}

// Kill ends the server at once, as a crash would: what it held is lost.
func (s *Server) Kill() { s.signal(syscall.SIGKILL) }

// Pause freezes the server: it accepts connections and answers nothing.
func (s *Server) Pause() { s.signal(syscall.SIGSTOP) }

// Resume unfreezes a paused server.
func (s *Server) Resume() { s.signal(syscall.SIGCONT) }
