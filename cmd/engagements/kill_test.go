package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// The test binary doubles as the command, so that a test can kill it for
// real (SIGKILL: no deferred cleanup, locks released by the kernel).
const (
	childEnv  = "ENGAGEMENTS_TEST_CHILD"  // JSON array: the command line
	freezeEnv = "ENGAGEMENTS_TEST_FREEZE" // freeze after this many lines
	frozen    = "FROZEN"                  // printed on stdout once frozen
)

func TestMain(m *testing.M) {
	if args := os.Getenv(childEnv); args != "" {
		os.Exit(childMain(args))
	}
	os.Exit(m.Run())
}

// childMain runs the command; with freezeEnv, the progress hook (called
// with the results file's lock and the import's state held) stops the
// process's work for good once that many lines are recorded, and says so,
// waiting to be killed.
func childMain(argsJSON string) int {
	var args []string
	if err := json.Unmarshal([]byte(argsJSON), &args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 99
	}
	a := &app{ctx: context.Background(), stdin: os.Stdin, stdout: os.Stderr, stderr: os.Stderr, getenv: os.Getenv}
	if at, err := strconv.Atoi(os.Getenv(freezeEnv)); err == nil {
		a.hooks.progress = func(n int) {
			if n >= at {
				fmt.Fprintln(os.Stdout, frozen)
				select {}
			}
		}
	}
	return a.main(args)
}

// killAt runs the command in a child process and kills it with SIGKILL once
// it has recorded at least `at` lines.
func killAt(t *testing.T, srv *hubspottest.Server, at int, args ...string) {
	t.Helper()
	b, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(b), freezeEnv+"="+strconv.Itoa(at),
		"HUBSPOT_TOKEN="+srv.Token(), "HUBSPOT_BASE_URL="+srv.URL)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	if !sc.Scan() || sc.Text() != frozen {
		cmd.Wait()
		t.Fatalf("the child did not reach %d lines: %s", at, stderr.String())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
}

// kill -9 in the middle of a v3 import leaves at most the batches in flight
// (10 of 100 lines) uncertain; --resume lists them and creates the rest, and
// --resume --unique-property settles them, every line stored exactly once
// (issue 11, point 3).
func TestImportKilledLeavesAtMostTheBatchesInFlightUncertain(t *testing.T) {
	t.Parallel()
	srv := testServer(hubspottest.WithLatency(5e6, 4e6)) // 5 ms ± 4: batches overlap
	defer srv.Close()
	const n = 3000
	in := writeLines(t, keyedTaskLines(1, n)...)
	results := in + ".results.jsonl"
	killAt(t, srv, 500, "import", "--object", "tasks", "--in", in)
	if _, err := os.Stat(results + ".inflight"); err != nil {
		t.Fatalf("no record of the lines in flight: %v", err)
	}
	c := newCLI(t, srv)
	code, _, errs := c.run("import", "--object", "tasks", "--in", in, "--resume")
	if code != exitAPI || !strings.Contains(errs, "outcome uncertain in an earlier run") {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	res := readResultLines(t, results)
	uncertain := 0
	for line := 1; line <= n; line++ {
		switch r := res[line]; {
		case r.Uncertain:
			uncertain++
		case r.ID == "":
			t.Fatalf("line %d neither created nor uncertain: %+v", line, r)
		}
	}
	if uncertain == 0 || uncertain > importConcurrency*100 || uncertain%100 != 0 {
		t.Fatalf("%d lines uncertain after the kill, want whole batches, at most %d", uncertain, importConcurrency*100)
	}
	t.Logf("killed after 500 lines recorded: %d lines uncertain, %d stored", uncertain, srv.TaskCount())
	keys := map[string]int{}
	for _, task := range srv.Tasks() {
		keys[task.Prop("import_key")]++
	}
	for k, c := range keys {
		if c > 1 {
			t.Fatalf("%s stored %d times", k, c)
		}
	}
	code, _, errs = c.run("import", "--object", "tasks", "--in", in, "--resume", "--unique-property", "import_key")
	if code != 0 || !strings.Contains(errs, fmt.Sprintf("%d uncertain from an earlier run (%d settled, 0 not retried)", uncertain, uncertain)) {
		t.Fatalf("resume --unique-property: exit %d: %s", code, errs)
	}
	assertKeysOnce(t, srv, n)
	res = readResultLines(t, results)
	for line := 1; line <= n; line++ {
		if res[line].ID == "" {
			t.Fatalf("line %d has no id after settling: %+v", line, res[line])
		}
	}
}
