package facade

import (
	"runtime/debug"
	"sync"
)

// modulePath is this module's path, as it appears in a program's build info.
const modulePath = "github.com/engagekit/hubspot-engagements"

// Version returns the version of this module linked into the running
// program, from its build info: a tag such as "v1.2.0" for a program built
// with the module as a dependency (or with `go install …@v1.2.0`), a
// pseudo-version or "(devel)" for a build from a checkout, and "unknown"
// when the program carries no build info. It is also in the default
// User-Agent.
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

// defaultUserAgent names this client and its version.
func defaultUserAgent() string { return "hubspot-engagements-go/" + Version() }
