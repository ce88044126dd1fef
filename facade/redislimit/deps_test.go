package redislimit

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the tests when a goroutine outlives them (a probe that
// Close did not stop, say). The facade's idle keep-alive connections to
// the fake are not this package's and are ignored.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreAnyFunction("net/http.(*persistConn).writeLoop"))
}

// goDeps lists the packages pkg links (go list -deps), or skips the test
// when the go command is not on PATH (outside CI).
func goDeps(t *testing.T, pkg string) []string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the go command is not on PATH")
		}
		t.Skip("the go command is not on PATH")
	}
	out, err := exec.Command(goBin, "list", "-deps", pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
	}
	return strings.Fields(string(out))
}

// linked returns the packages of deps that match.
func linked(deps []string, match func(path string) bool) []string {
	var out []string
	for _, d := range deps {
		if match(d) {
			out = append(out, d)
		}
	}
	return out
}

// isRedis says whether a package path is a Redis client's.
func isRedis(path string) bool {
	return strings.Contains(path, "redis") || strings.Contains(path, "redigo")
}

// TestFacadeDoesNotLinkRedis: programs that use the facade without this
// package link no Redis client.
func TestFacadeDoesNotLinkRedis(t *testing.T) {
	for _, pkg := range []string{"../../facade", "../../hubspottest"} {
		if got := linked(goDeps(t, pkg), isRedis); len(got) > 0 {
			t.Errorf("%s links a Redis client:\n%s", pkg, strings.Join(got, "\n"))
		}
	}
	if !slices.Contains(goDeps(t, "."), "github.com/redis/go-redis/v9") {
		t.Fatal("this package does not link go-redis, so the check above proves nothing")
	}
}

// TestFacadeLinksNoSpecMachinery: the facade a program imports links none
// of what reads the specs (kin-openapi, YAML libraries; the tests and the
// fake use them), nor a Redis client. Each rule is checked to match in a
// package known to link what it names, so that it can fail.
func TestFacadeLinksNoSpecMachinery(t *testing.T) {
	facade := goDeps(t, "../../facade")
	specdocs := goDeps(t, "../../internal/specdocs")
	tests := []struct {
		name  string
		match func(path string) bool
		// in is the dependencies of a package that links it.
		in []string
	}{
		{"kin-openapi", func(p string) bool { return strings.HasPrefix(p, "github.com/getkin/kin-openapi") }, specdocs},
		// gopkg.in/yaml.v3, sigs.k8s.io/yaml, github.com/oasdiff/yaml, …
		{"a YAML library", func(p string) bool { return strings.Contains(strings.ToLower(p), "yaml") }, specdocs},
		{"a Redis client", isRedis, goDeps(t, ".")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := linked(facade, tt.match); len(got) > 0 {
				t.Errorf("the facade links %s:\n%s", tt.name, strings.Join(got, "\n"))
			}
			if len(linked(tt.in, tt.match)) == 0 {
				t.Errorf("the rule for %s matches nothing where it is linked: it proves nothing", tt.name)
			}
		})
	}
}
