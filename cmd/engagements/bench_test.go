package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// The CLI's jobs, run in process against hubspottest with HubSpot-like
// latency (30 ms ± 10 ms) and its rolling limit of 100 requests per 10 s,
// like the facade's benchmarks. Each job sends fewer requests than the
// window allows, so its bound is the latency alone: requests in turn, or
// importConcurrency at once.
const (
	benchLatency = 30 * time.Millisecond
	benchJitter  = 10 * time.Millisecond
)

func benchServer(opts ...hubspottest.Option) *hubspottest.Server {
	return testServer(append(opts, hubspottest.WithRateLimit(facade.LimitStarter, 10*time.Second), hubspottest.WithLatency(benchLatency, benchJitter))...)
}

// benchRun runs the CLI against srv and reports the wall time against
// bound.
func benchRun(b *testing.B, srv *hubspottest.Server, bound time.Duration, args ...string) {
	var out, errb bytes.Buffer
	env := map[string]string{"HUBSPOT_TOKEN": srv.Token(), "HUBSPOT_BASE_URL": srv.URL}
	a := &app{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return env[k] }}
	b.StartTimer()
	start := time.Now()
	code := a.main(args)
	wall := time.Since(start)
	b.StopTimer()
	if code != 0 {
		b.Fatalf("exit %d: %s", code, errb.String())
	}
	b.ReportMetric(wall.Seconds(), "wall-s")
	b.ReportMetric(bound.Seconds(), "bound-s")
	b.ReportMetric(wall.Seconds()/bound.Seconds(), "x-bound")
}

// BenchmarkExportV1_10k exports 10,000 v1 engagements (40 pages of 250).
func BenchmarkExportV1_10k(b *testing.B) {
	const records = 10000
	for range b.N {
		b.StopTimer()
		srv := benchServer()
		for _, typ := range []string{"NOTE", "TASK", "CALL", "EMAIL", "MEETING"} {
			srv.SeedEngagements(typ, records/5)
		}
		out := filepath.Join(b.TempDir(), "out.jsonl")
		benchRun(b, srv, time.Duration(records/facade.MaxV1PageLimit)*benchLatency, "export", "--object", "engagements", "--out", out)
		srv.Close()
	}
}

func benchImport(b *testing.B, unique bool) {
	const records = 5000
	var ls []string
	for i := range records {
		ls = append(ls, fmt.Sprintf(`{"properties":{"hs_task_subject":"task %d","hs_task_status":"NOT_STARTED","import_key":"k%d"}}`, i, i))
	}
	for range b.N {
		b.StopTimer()
		srv := benchServer()
		in := filepath.Join(b.TempDir(), "in.jsonl")
		if err := os.WriteFile(in, []byte(strings.Join(ls, "\n")+"\n"), 0o644); err != nil {
			b.Fatal(err)
		}
		args := []string{"import", "--object", "tasks", "--in", in}
		if unique {
			args = append(args, "--unique-property", "import_key")
		}
		requests := records / facade.MaxBatchInputs
		benchRun(b, srv, time.Duration((requests+importConcurrency-1)/importConcurrency)*benchLatency, args...)
		if n := srv.TaskCount(); n != records {
			b.Fatalf("stored %d of %d", n, records)
		}
		srv.Close()
	}
}

// BenchmarkImport5kTasks imports 5,000 tasks (50 batch creates, 10 at once).
func BenchmarkImport5kTasks(b *testing.B) { benchImport(b, false) }

// BenchmarkImport5kTasksUnique imports them with --unique-property.
func BenchmarkImport5kTasksUnique(b *testing.B) { benchImport(b, true) }
