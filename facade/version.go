package facade

import (
	"runtime/debug"
	"strings"
	"sync"
)

// modulePath is this module's path, as it appears in a program's build info.
const modulePath = "github.com/engagekit/hubspot-engagements"

// Version returns the version of this module linked into the running
// program, from its build info: a tag such as "v1.2.0" for a program built
// with the module as a dependency (or with `go install …@v1.2.0`), a
// pseudo-version or "(devel)" for a build from a checkout, and "unknown"
// when the program carries no build info. The default User-Agent carries
// it as its product version, which must be a token: there "(devel)" reads
// "devel".
func Version() string { return version() }

var version = sync.OnceValue(func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	return moduleVersion(info)
})

// moduleVersion finds this module in info: the main module when the program
// is one of ours, else a dependency (possibly replaced).
func moduleVersion(info *debug.BuildInfo) string {
	if info.Main.Path == modulePath {
		return nonEmpty(info.Main.Version)
	}
	for _, d := range info.Deps {
		if d.Path != modulePath {
			continue
		}
		if d.Replace != nil {
			return nonEmpty(d.Replace.Version)
		}
		return nonEmpty(d.Version)
	}
	return "unknown"
}

func nonEmpty(v string) string {
	if v == "" {
		return "(devel)"
	}
	return v
}

// defaultUserAgent names this client and its version, as a product of
// RFC 9110 §10.1.5 (token "/" token).
func defaultUserAgent() string { return "hubspot-engagements-go/" + productVersion(Version()) }

// productVersion is v as a token (RFC 9110 §5.6.2): its characters that a
// token does not allow, such as the parentheses of "(devel)", are dropped;
// "unknown" when none is left.
func productVersion(v string) string {
	t := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune("!#$%&'*+-.^_`|~", r) {
			return r
		}
		return -1
	}, v)
	if t == "" {
		return "unknown"
	}
	return t
}
