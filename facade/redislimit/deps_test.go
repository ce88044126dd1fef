package redislimit

import (
	"os"
	"os/exec"
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

// TestFacadeDoesNotLinkRedis: programs that use the facade without this
// package link no Redis client.
func TestFacadeDoesNotLinkRedis(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the go command is not on PATH")
		}
		t.Skip("the go command is not on PATH")
	}
	for _, pkg := range []string{"../../facade", "../../hubspottest"} {
		out, err := exec.Command(goBin, "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		if strings.Contains(string(out), "redis") {
			t.Errorf("%s links a Redis client:\n%s", pkg, grep(string(out), "redis"))
		}
	}
	out, err := exec.Command(goBin, "list", "-deps", ".").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "github.com/redis/go-redis/v9") {
		t.Fatalf("this package does not link go-redis, so the check above proves nothing: %v", err)
	}
}

func grep(s, sub string) string {
	var lines []string
	for l := range strings.SplitSeq(s, "\n") {
		if strings.Contains(l, sub) {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
