package main

import (
	"strings"
	"testing"
)

// ev writes one go test -json line.
func ev(action, pkg, test, output string) string {
	s := `{"Action":"` + action + `","Package":"github.com/engagekit/hubspot-engagements/` + pkg + `"`
	if test != "" {
		s += `,"Test":"` + test + `"`
	}
	if output != "" {
		s += `,"Output":` + quote(output)
	}
	return s + "}\n"
}

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}

func TestReport(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantOut   []string // lines printed while the run goes on, in order
		notOut    []string // never printed
		wantClose []string // lines of the closing summary
	}{
		{
			name: "a passing package prints its ok line only",
			in: ev("start", "facade", "", "") +
				ev("run", "facade", "TestA", "") +
				ev("output", "facade", "TestA", "=== RUN   TestA\n") +
				ev("output", "facade", "TestA", "    a_test.go:3: chatter\n") +
				ev("output", "facade", "TestA", "--- PASS: TestA (0.00s)\n") +
				ev("pass", "facade", "TestA", "") +
				ev("output", "facade", "", "PASS\n") +
				ev("output", "facade", "", "ok  \tgithub.com/engagekit/hubspot-engagements/facade\t0.01s\n") +
				ev("pass", "facade", "", ""),
			wantOut:   []string{"ok  \tgithub.com/engagekit/hubspot-engagements/facade\t0.01s"},
			notOut:    []string{"chatter", "=== RUN", "--- PASS", "PASS\n", "SKIPPED"},
			wantClose: []string{"1 package tested, 0 failed", "PASS: 1 passed, 0 failed, 0 skipped"},
		},
		{
			name: "skips are listed with their reasons",
			in: ev("output", "internal/gencheck", "TestVendorSpecsUnchanged", "=== RUN   TestVendorSpecsUnchanged\n") +
				ev("output", "internal/gencheck", "TestVendorSpecsUnchanged", "    spec_test.go:23: no ../../../shared/seeds beside the repository: stat: no such file\n") +
				ev("output", "internal/gencheck", "TestVendorSpecsUnchanged", "--- SKIP: TestVendorSpecsUnchanged (0.00s)\n") +
				ev("skip", "internal/gencheck", "TestVendorSpecsUnchanged", "") +
				ev("output", "facade/redislimit", "TestShared/redis", "    redis_test.go:9: no redis-server on PATH\n") +
				ev("skip", "facade/redislimit", "TestShared/redis", "") +
				ev("pass", "internal/gencheck", "", "") +
				ev("pass", "facade/redislimit", "", ""),
			notOut: []string{"--- SKIP"},
			wantClose: []string{
				"SKIPPED 2 tests (not run: each gives its reason):",
				"  facade/redislimit TestShared/redis: redis_test.go:9: no redis-server on PATH",
				"  internal/gencheck TestVendorSpecsUnchanged: spec_test.go:23: no ../../../shared/seeds beside the repository: stat: no such file",
				"2 packages tested, 0 failed", "PASS: 0 passed, 0 failed, 2 skipped",
			},
		},
		{
			name: "a failure prints the test's output and go test's FAIL lines",
			in: ev("output", "hubspottest", "TestB", "=== RUN   TestB\n") +
				ev("output", "hubspottest", "TestB", "    b_test.go:7: got 1, want 2\n") +
				ev("output", "hubspottest", "TestB", "--- FAIL: TestB (0.00s)\n") +
				ev("fail", "hubspottest", "TestB", "") +
				ev("output", "hubspottest", "", "FAIL\n") +
				ev("output", "hubspottest", "", "FAIL\tgithub.com/engagekit/hubspot-engagements/hubspottest\t0.02s\n") +
				ev("fail", "hubspottest", "", ""),
			wantOut:   []string{"    b_test.go:7: got 1, want 2", "--- FAIL: TestB (0.00s)", "FAIL", "FAIL\tgithub.com/engagekit/hubspot-engagements/hubspottest\t0.02s"},
			notOut:    []string{"=== RUN"},
			wantClose: []string{"1 package tested, 1 failed", "FAIL: 0 passed, 1 failed, 0 skipped"},
		},
		{
			name: "a panic that ends no test still shows the running test's output",
			in: ev("output", "cmd/engagements", "TestC", "=== RUN   TestC\n") +
				ev("output", "cmd/engagements", "TestC", "panic: boom\n") +
				ev("output", "cmd/engagements", "", "FAIL\tgithub.com/engagekit/hubspot-engagements/cmd/engagements\t0.03s\n") +
				ev("fail", "cmd/engagements", "", ""),
			wantOut:   []string{"FAIL\tgithub.com/engagekit/hubspot-engagements/cmd/engagements\t0.03s", "panic: boom"},
			wantClose: []string{"1 package tested, 1 failed", "FAIL: 0 passed, 0 failed, 0 skipped"},
		},
		{
			name: "build errors and lines that are not JSON pass through",
			in: `{"ImportPath":"github.com/engagekit/hubspot-engagements/facade [github.com/engagekit/hubspot-engagements/facade.test]","Action":"build-output","Output":"facade/x.go:1:1: undefined: y\n"}` + "\n" +
				"go: warning: something\n" +
				ev("output", "facade", "", "FAIL\tgithub.com/engagekit/hubspot-engagements/facade [build failed]\n") +
				ev("fail", "facade", "", ""),
			wantOut:   []string{"facade/x.go:1:1: undefined: y", "go: warning: something", "FAIL\tgithub.com/engagekit/hubspot-engagements/facade [build failed]"},
			wantClose: []string{"1 package tested, 1 failed", "FAIL: 0 passed, 0 failed, 0 skipped"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, closing strings.Builder
			sum := report(strings.NewReader(tt.in), &out)
			sum.print(&closing)
			got := out.String()
			at := 0
			for _, w := range tt.wantOut {
				i := strings.Index(got[at:], w+"\n")
				if i < 0 {
					t.Fatalf("output lacks %q (in this order) after byte %d:\n%s", w, at, got)
				}
				at += i + len(w)
			}
			for _, n := range tt.notOut {
				if strings.Contains(got, n) || strings.Contains(closing.String(), n) {
					t.Errorf("output has %q:\n%s%s", n, got, closing.String())
				}
			}
			var lines []string
			for _, l := range strings.Split(closing.String(), "\n") {
				if l != "" {
					lines = append(lines, l)
				}
			}
			if strings.Join(lines, "\n") != strings.Join(tt.wantClose, "\n") {
				t.Errorf("closing summary:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(tt.wantClose, "\n"))
			}
		})
	}
}
