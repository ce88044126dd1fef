package facade

import (
	"context"
	"net/http"
	"regexp"
	"runtime/debug"
	"sync"
	"testing"
)

func TestModuleVersion(t *testing.T) {
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"our own program, tagged", debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v1.2.0"}}, "v1.2.0"},
		{"our own program, from a checkout", debug.BuildInfo{Main: debug.Module{Path: modulePath}}, "(devel)"},
		{"a dependency", debug.BuildInfo{Main: debug.Module{Path: "example.com/app"}, Deps: []*debug.Module{{Path: "golang.org/x/oauth2", Version: "v0.37.0"}, {Path: modulePath, Version: "v0.3.1"}}}, "v0.3.1"},
		{"a replaced dependency", debug.BuildInfo{Main: debug.Module{Path: "example.com/app"}, Deps: []*debug.Module{{Path: modulePath, Version: "v0.3.1", Replace: &debug.Module{Path: "../fork", Version: ""}}}}, "(devel)"},
		{"not linked in", debug.BuildInfo{Main: debug.Module{Path: "example.com/app"}}, "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := moduleVersion(&tt.info); got != tt.want {
				t.Errorf("moduleVersion = %q, want %q", got, tt.want)
			}
		})
	}
	if v := Version(); v == "" {
		t.Error("Version() is empty")
	}
}

// product is a User-Agent product of RFC 9110 §10.1.5, token "/" token,
// with token as in §5.6.2.
var product = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

// TestUserAgentCarriesTheVersion: the User-Agent sent is this client's
// name and Version() as a valid product: unchanged when Version() is a
// token, "devel" for the "(devel)" of a build with no module version (as
// this test binary is).
func TestUserAgentCarriesTheVersion(t *testing.T) {
	for _, tt := range []struct{ version, want string }{
		{"v1.2.0", "v1.2.0"},
		{"v0.0.0-20250101120000-0123456789ab", "v0.0.0-20250101120000-0123456789ab"},
		{"v2.0.0+incompatible", "v2.0.0+incompatible"},
		{"(devel)", "devel"},
		{"unknown", "unknown"},
		{"()", "unknown"},
		{"v1 (é)", "v1"},
	} {
		if got := productVersion(tt.version); got != tt.want || !product.MatchString("x/"+got) {
			t.Errorf("productVersion(%q) = %q, want %q", tt.version, got, tt.want)
		}
	}
	var mu sync.Mutex
	var got []string
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		mu.Lock()
		got = append(got, r.Header.Get("User-Agent"))
		mu.Unlock()
		writeJSON(w, 200, createdTask)
	})
	c := newClient(t, s.URL+"/prefix")
	if _, err := c.Tasks.Get(context.Background(), "1", GetParams{}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := "hubspot-engagements-go/" + productVersion(Version())
	if len(got) != 1 || got[0] != want || !product.MatchString(got[0]) {
		t.Fatalf("User-Agent %q, want %q, a valid product", got, want)
	}
	if v := Version(); product.MatchString("x/"+v) && got[0] != "hubspot-engagements-go/"+v {
		t.Errorf("User-Agent %q does not carry Version() %q unchanged", got[0], v)
	}
	if Version() == "(devel)" && got[0] != "hubspot-engagements-go/devel" {
		t.Errorf("User-Agent %q, want hubspot-engagements-go/devel for a (devel) build", got[0])
	}
}
