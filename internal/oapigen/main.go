// Command oapigen runs the oapi-codegen pinned in tools.go for one spec of
// api/, with the shared settings of the top-level oapi-codegen.yaml plus the
// three that differ per generated package: its name, its output file and the
// spec's overlay. With -spec-only it generates, instead of the models, client
// and server, only the embedded spec (overlay applied), into a package of its
// own. It is hand-written and used only by go:generate lines in
// gen/.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

func main() {
	spec := flag.String("spec", "", "OpenAPI document to generate from")
	overlay := flag.String("overlay", "", "OpenAPI Overlay applied to the spec (optional)")
	pkg := flag.String("package", "", "Go package name")
	out := flag.String("o", "", "output file")
	specOnly := flag.Bool("spec-only", false, "generate only the embedded spec (GetSpec), for tests and the fake, instead of the models, client and server")
	flag.Parse()
	if *spec == "" || *pkg == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: oapigen -spec FILE -package NAME -o FILE [-overlay FILE]")
		os.Exit(2)
	}
	if err := run(*spec, *overlay, *pkg, *out, *specOnly); err != nil {
		fmt.Fprintln(os.Stderr, "oapigen:", err)
		os.Exit(1)
	}
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
