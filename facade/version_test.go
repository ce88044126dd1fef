package facade

import (
	"runtime/debug"
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
