// Command oapigen runs the oapi-codegen pinned in tools.go for one spec of
// api/, with the shared settings of the top-level oapi-codegen.yaml plus the
// three that differ per generated package: its name, its output file and the
// spec's overlay. With -spec-only it generates, instead of the models, client
// and server, only the embedded spec (overlay applied), into a package of its
// own. It is hand-written and used only by go:generate lines in
// gen/.
//
// A dated API names itself instead: `-dated 2026-03/oauth`, run in
// gen/v202603/oauth, reads api/2026-03/oauth.json with
// api/2026-03/oauth.overlay.yaml and writes package oauth to oauth.gen.go
// (with -spec-only: package oauthspec to oauthspec/spec.gen.go). The
// convention lives here once, so adding a version or an API cannot get a path
// wrong.
//
// A version's object documents are one package: `-dated 2026-03 -objects
// emails,tasks,notes,calls,meetings`, run in gen/v202603, merges
// api/2026-03/{emails,…}.json (merge.go says how, and what it refuses),
// applies api/2026-03/objects.overlay.yaml to the merged document and
// writes package v202603 to v202603.gen.go (with -spec-only: package
// v202603spec to v202603spec/spec.gen.go).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

func main() {
	spec := flag.String("spec", "", "OpenAPI document to generate from")
	overlay := flag.String("overlay", "", "OpenAPI Overlay applied to the spec (optional)")
	pkg := flag.String("package", "", "Go package name")
	out := flag.String("o", "", "output file")
	dated := flag.String("dated", "", "VERSION/API of a dated document (e.g. 2026-03/oauth), or VERSION with -objects: sets -spec, -overlay, -package and -o by convention")
	objects := flag.String("objects", "", "with -dated VERSION: the comma-separated object documents of the version to merge into one package (e.g. emails,tasks,notes)")
	specOnly := flag.Bool("spec-only", false, "generate only the embedded spec (GetSpec), for tests and the fake, instead of the models, client and server")
	flag.Parse()
	if *dated != "" {
		if *spec != "" || *overlay != "" || *pkg != "" || *out != "" {
			fmt.Fprintln(os.Stderr, "oapigen: -dated sets -spec, -overlay, -package and -o; give none of them")
			os.Exit(2)
		}
		var err error
		if *objects != "" {
			var apiDir string
			apiDir, *overlay, *pkg, *out, err = versionPaths(*dated, *specOnly)
			if err == nil {
				*spec, err = mergeFiles(apiDir, *dated, strings.Split(*objects, ","))
				if err != nil {
					fmt.Fprintln(os.Stderr, "oapigen:", err)
					os.Exit(1)
				}
				defer os.Remove(*spec)
			}
		} else {
			*spec, *overlay, *pkg, *out, err = datedPaths(*dated, *specOnly)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "oapigen:", err)
			os.Exit(2)
		}
	} else if *objects != "" {
		fmt.Fprintln(os.Stderr, "oapigen: -objects goes with -dated VERSION")
		os.Exit(2)
	}
	if *spec == "" || *pkg == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: oapigen -spec FILE -package NAME -o FILE [-overlay FILE] [-spec-only]\n       oapigen -dated VERSION/API [-spec-only]")
		os.Exit(2)
	}
	if err := run(*spec, *overlay, *pkg, *out, *specOnly); err != nil {
		fmt.Fprintln(os.Stderr, "oapigen:", err)
		if *objects != "" {
			os.Remove(*spec)
		}
		os.Exit(1)
	}
}

// versionPaths gives the folder of a version's documents and the overlay,
// package and output of gen/vYYYYMM, the package of the version's merged
// object documents, relative to the working directory, which must be that
// package's folder.
func versionPaths(version string, specOnly bool) (apiDir, overlay, pkg, out string, err error) {
	if !datedVersion.MatchString(version) {
		return "", "", "", "", fmt.Errorf("-dated %q with -objects: want VERSION such as 2026-03", version)
	}
	root, wd, err := dirs()
	if err != nil {
		return "", "", "", "", err
	}
	pkg = "v" + strings.ReplaceAll(version, "-", "")
	if dir := filepath.Join(root, "gen", pkg); filepath.Clean(wd) != dir {
		return "", "", "", "", fmt.Errorf("-dated %s -objects runs in %s, not in %s", version, dir, wd)
	}
	apiDir = rel(wd, filepath.Join(root, "api", version))
	overlay = filepath.Join(apiDir, "objects.overlay.yaml")
	if specOnly {
		return apiDir, overlay, pkg + "spec", filepath.Join(pkg+"spec", "spec.gen.go"), nil
	}
	return apiDir, overlay, pkg, pkg + ".gen.go", nil
}

// dirs returns the module root and the working directory.
func dirs() (root, wd string, err error) {
	if root, err = moduleRoot(); err != nil {
		return "", "", err
	}
	wd, err = os.Getwd()
	return root, wd, err
}

// rel is p relative to wd (p itself when it has no relative form).
func rel(wd, p string) string {
	r, err := filepath.Rel(wd, p)
	if err != nil {
		return p
	}
	return r
}

var (
	datedVersion = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}$`)
	datedAPI     = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
)

// datedPaths turns VERSION/API into the spec, overlay, package and output of
// gen/vYYYYMM/API, relative to the working directory, which must be that
// package's folder (so that a line copied into the wrong package fails).
func datedPaths(dated string, specOnly bool) (spec, overlay, pkg, out string, err error) {
	version, api, ok := strings.Cut(dated, "/")
	if !ok || !datedVersion.MatchString(version) || !datedAPI.MatchString(api) {
		return "", "", "", "", fmt.Errorf("-dated %q: want VERSION/API such as 2026-03/notes", dated)
	}
	root, wd, err := dirs()
	if err != nil {
		return "", "", "", "", err
	}
	dir := filepath.Join(root, "gen", "v"+strings.ReplaceAll(version, "-", ""), api)
	if filepath.Clean(wd) != dir {
		return "", "", "", "", fmt.Errorf("-dated %s runs in %s, not in %s", dated, dir, wd)
	}
	spec = rel(wd, filepath.Join(root, "api", version, api+".json"))
	overlay = rel(wd, filepath.Join(root, "api", version, api+".overlay.yaml"))
	if specOnly {
		return spec, overlay, api + "spec", filepath.Join(api+"spec", "spec.gen.go"), nil
	}
	return spec, overlay, api, api + ".gen.go", nil
}

func run(spec, overlay, pkg, out string, specOnly bool) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	shared, err := os.ReadFile(filepath.Join(root, "oapi-codegen.yaml"))
	if err != nil {
		return err
	}
	var cfg map[string]any
	if err := yaml.Unmarshal(shared, &cfg); err != nil {
		return fmt.Errorf("oapi-codegen.yaml: %w", err)
	}
	cfg["package"] = pkg
	cfg["output"] = out
	if specOnly {
		// The spec goes into a package of its own, so that programs that
		// import the client do not link kin-openapi and a YAML parser.
		cfg["generate"] = map[string]any{"embedded-spec": true}
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if overlay != "" {
		abs, err := filepath.Abs(overlay)
		if err != nil {
			return err
		}
		oo, _ := cfg["output-options"].(map[string]any)
		if oo == nil {
			oo = map[string]any{}
			cfg["output-options"] = oo
		}
		oo["overlay"] = map[string]any{"path": abs, "strict": true}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(cfg); err != nil {
		return err
	}
	tmp, err := os.CreateTemp("", "oapigen-*.yaml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	cmd := exec.Command("go", "run", "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen", "-config", tmp.Name(), spec)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// moduleRoot walks up from the working directory to the folder with go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}
