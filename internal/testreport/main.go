// Command testreport runs `go test -json` with the arguments it is given and
// prints what plain `go test` prints (each package's "ok" or "FAIL" line,
// the output of failed tests, build errors), then every skipped test with
// the reason it gave, and a closing count. It exits with go test's status.
//
//	go run ./internal/testreport -race -count=1 ./...
//
// `make test` runs it, so that a run which skipped tests (no ../shared
// beside the repository, no redis-server) says so instead of looking as
// green as a full one.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"sort"
	"strings"
	"time"
)

func main() {
	cmd := exec.Command("go", append([]string{"test", "-json"}, os.Args[1:]...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(2)
	}
	// Ctrl-C reaches go test through the process group; stay to print what
	// it reports before it stops.
	signal.Ignore(os.Interrupt)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(2)
	}
	sum := report(out, os.Stdout)
	err = cmd.Wait()
	sum.print(os.Stdout)
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		os.Exit(exit.ExitCode())
	case err != nil:
		fmt.Fprintln(os.Stderr, "testreport:", err)
		os.Exit(2)
	}
}

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Time    time.Time
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

// skip is a skipped test and the reason it logged.
type skip struct {
	pkg, test, reason string
}

// summary counts the tests of a run.
type summary struct {
	passed, failed int
	skips          []skip
	pkgs, pkgFails int
}

// key names a test of a package.
type key struct{ pkg, test string }

// report copies r's events to w as plain go test would print them, and
// returns what they add up to. Lines that are not JSON are copied as they
// are.
func report(r io.Reader, w io.Writer) *summary {
	sum := &summary{}
	pending := map[key][]string{} // output of tests that have not ended
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintf(w, "%s\n", line)
			continue
		}
		k := key{e.Package, e.Test}
		switch {
		case e.Action == "build-output":
			fmt.Fprint(w, e.Output)
		case e.Action == "output" && e.Test != "":
			pending[k] = append(pending[k], e.Output)
		case e.Action == "output":
			if keepPackageLine(e.Output) {
				fmt.Fprint(w, e.Output)
			}
		case e.Test != "" && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
			out := pending[k]
			delete(pending, k)
			switch e.Action {
			case "pass":
				sum.passed++
			case "fail":
				sum.failed++
				for _, o := range out {
					if !isFrame(o) || strings.HasPrefix(o, "--- ") {
						fmt.Fprint(w, o)
					}
				}
			case "skip":
				sum.skips = append(sum.skips, skip{short(e.Package), e.Test, reason(out)})
			}
		case e.Test == "" && (e.Action == "pass" || e.Action == "fail"):
			sum.pkgs++
			if e.Action == "fail" {
				sum.pkgFails++
				// A test that never ended (a panic, a timeout) was the
				// one running: show what it printed.
				for k, out := range pending {
					if k.pkg == e.Package {
						for _, o := range out {
							if !isFrame(o) {
								fmt.Fprint(w, o)
							}
						}
						delete(pending, k)
					}
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(w, "testreport: reading go test's output:", err)
	}
	return sum
}

// keepPackageLine says whether plain go test prints a package's own output
// line: the binary's closing PASS and the run framing it does not.
func keepPackageLine(s string) bool {
	return s != "PASS\n" && !isFrame(s)
}

// isFrame says whether s is go test -v's framing of a test's output
// ("=== RUN", "=== PAUSE", "--- PASS: …"), which plain go test leaves out
// but for failures.
func isFrame(s string) bool {
	t := strings.TrimLeft(s, " ")
	return strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- ")
}

// reason is what a skipped test logged, on one line.
func reason(out []string) string {
	var parts []string
	for _, o := range out {
		if isFrame(o) {
			continue
		}
		if o = strings.TrimSpace(o); o != "" {
			parts = append(parts, o)
		}
	}
	if len(parts) == 0 {
		return "(no reason given)"
	}
	return strings.Join(parts, " ")
}

// short drops the module path from a package's import path.
func short(pkg string) string {
	const module = "github.com/engagekit/hubspot-engagements"
	if pkg == module {
		return "."
	}
	return strings.TrimPrefix(pkg, module+"/")
}

// print writes the skips with their reasons and the closing count.
func (s *summary) print(w io.Writer) {
	if len(s.skips) > 0 {
		sort.SliceStable(s.skips, func(i, j int) bool {
			if s.skips[i].pkg != s.skips[j].pkg {
				return s.skips[i].pkg < s.skips[j].pkg
			}
			return s.skips[i].test < s.skips[j].test
		})
		fmt.Fprintf(w, "\nSKIPPED %d %s (not run: each gives its reason):\n", len(s.skips), plural(len(s.skips), "test"))
		for _, sk := range s.skips {
			fmt.Fprintf(w, "  %s %s: %s\n", sk.pkg, sk.test, sk.reason)
		}
	}
	verdict := "PASS"
	if s.failed > 0 || s.pkgFails > 0 {
		verdict = "FAIL"
	}
	// The last line has the plain form "N passed, N failed, N skipped"
	// (tests and subtests), which CI logs are read for.
	fmt.Fprintf(w, "\n%d %s tested, %d failed\n", s.pkgs, plural(s.pkgs, "package"), s.pkgFails)
	fmt.Fprintf(w, "%s: %d passed, %d failed, %d skipped\n", verdict, s.passed, s.failed, len(s.skips))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
