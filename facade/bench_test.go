package facade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/gen/tasks"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// The benchmarks run against hubspottest with HubSpot-like latency
// (30 ms ± 10 ms) and its rolling rate limit, and report the wall time
// against the theoretical bound: request k starts no earlier than the
// answer to request k−lanes (lanes = 1 for paging, which is sequential) and
// no earlier than request k−N's start + W.
const (
	benchLatency = 30 * time.Millisecond
	benchJitter  = 10 * time.Millisecond
	benchWindow  = 10 * time.Second
)

// bound is the earliest time `requests` requests can finish when each takes
// the nominal latency, `lanes` run at once and at most n start per window w.
func bound(requests, lanes, n int, w time.Duration) time.Duration {
	starts := make([]time.Duration, requests)
	laneFree := make([]time.Duration, lanes)
	var end time.Duration
	for k := range requests {
		lane := k % lanes
		s := laneFree[lane]
		if k >= n && starts[k-n]+w > s {
			s = starts[k-n] + w
		}
		starts[k], laneFree[lane] = s, s+benchLatency
		end = max(end, s+benchLatency)
	}
	return end
}

func report(b *testing.B, wall, bnd time.Duration, surfaced, server429 int) {
	b.ReportMetric(wall.Seconds(), "wall-s")
	b.ReportMetric(bnd.Seconds(), "bound-s")
	b.ReportMetric(wall.Seconds()/bnd.Seconds(), "x-bound")
	b.ReportMetric(float64(surfaced), "429s-surfaced")
	b.ReportMetric(float64(server429), "429s-at-server")
}

func benchExport(b *testing.B, limit, records int) {
	for range b.N {
		b.StopTimer()
		srv := hubspottest.NewServer(hubspottest.WithRateLimit(limit, benchWindow), hubspottest.WithLatency(benchLatency, benchJitter))
		srv.SeedTasks(records)
		// The client is not told the account's tier: it follows the headers.
		c, err := New(WithToken(srv.Token()), WithBaseURL(srv.URL))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		n, surfaced := 0, 0
		var exportErr error
		for _, err := range c.Tasks.List(context.Background(), ListParams{Limit: MaxListLimit}).All() {
			if err != nil {
				if errors.Is(err, ErrRateLimited) {
					surfaced++ // a 429 the client did not wait out
				}
				exportErr = err
				break
			}
			n++
		}
		wall := time.Since(start)
		b.StopTimer()
		report(b, wall, bound((records+MaxListLimit-1)/MaxListLimit, 1, limit, benchWindow), surfaced, count429(srv))
		if exportErr != nil || n != records {
			b.Fatalf("exported %d of %d: %v", n, records, exportErr)
		}
		srv.Close()
	}
}

// BenchmarkExport30kTasks100 exports 30,000 tasks at 100 requests per 10 s.
func BenchmarkExport30kTasks100(b *testing.B) { benchExport(b, LimitStarter, 30000) }

// BenchmarkExport30kTasks190 exports 30,000 tasks at 190 requests per 10 s,
// with the client left at its default limit: it learns 190 from the headers.
func BenchmarkExport30kTasks190(b *testing.B) { benchExport(b, LimitProfessional, 30000) }

// BenchmarkBatchCreate5kTasks100 creates 5,000 tasks at 100 requests per 10 s.
func BenchmarkBatchCreate5kTasks100(b *testing.B) {
	const records = 5000
	for range b.N {
		b.StopTimer()
		srv := hubspottest.NewServer(hubspottest.WithRateLimit(LimitStarter, benchWindow), hubspottest.WithLatency(benchLatency, benchJitter))
		c, err := New(WithToken(srv.Token()), WithBaseURL(srv.URL))
		if err != nil {
			b.Fatal(err)
		}
		inputs := make([]Properties, records)
		for i := range inputs {
			inputs[i] = Properties{TaskSubjectProperty: fmt.Sprintf("lead %d", i), TaskStatusProperty: "NOT_STARTED"}
		}
		b.StartTimer()
		start := time.Now()
		res, err := c.Tasks.BatchCreate(context.Background(), createInputs(inputs), BatchCreateParams{})
		wall := time.Since(start)
		b.StopTimer()
		if err != nil || srv.TaskCount() != records {
			b.Fatalf("stored %d of %d: %v", srv.TaskCount(), records, err)
		}
		for i, r := range res.Records {
			if r.ID() == "" {
				b.Fatalf("input %d has no record", i)
			}
		}
		// The bound is for sequential requests; the client runs
		// c.batchConc at once, so the bound with that many lanes is shown too.
		report(b, wall, bound(records/MaxBatchInputs, 1, LimitStarter, benchWindow), 0, count429(srv))
		lanes := bound(records/MaxBatchInputs, c.batchConc, LimitStarter, benchWindow)
		b.ReportMetric(lanes.Seconds(), "bound-10lanes-s")
		b.ReportMetric(wall.Seconds()/lanes.Seconds(), "x-bound-10lanes")
		srv.Close()
	}
}

// pageOfTasks is one list answer of 100 tasks as hubspottest (like HubSpot)
// sends it.
func pageOfTasks(b *testing.B) []byte {
	srv := hubspottest.NewServer()
	defer srv.Close()
	srv.SeedTasks(100)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/crm/v3/objects/tasks?limit=100&properties=hs_task_subject,hs_task_body,hs_task_status,hs_task_priority,hs_task_type,hs_timestamp,hubspot_owner_id", nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return body
}

// BenchmarkDecodePage compares decoding a page of 100 tasks as the facade
// does (through the generated types, records keeping HubSpot's raw JSON
// and their properties unparsed) with decoding it into the generated types
// alone.
func BenchmarkDecodePage(b *testing.B) {
	page := pageOfTasks(b)
	b.Run("facade", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var c v3Page
			if err := json.Unmarshal(page, &c); err != nil || len(c.get().Results) != 100 {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/record")
	})
	b.Run("generated", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var c tasks.CollectionResponseTask
			if err := json.Unmarshal(page, &c); err != nil || len(*c.Results) != 100 {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/record")
	})
}

// BenchmarkStreamHeap100k streams 100,000 tasks and reports how much the
// live heap grew between the first and the last 10,000 (flat: nothing
// accumulates).
func BenchmarkStreamHeap100k(b *testing.B) {
	const records = 100000
	srv := hubspottest.NewServer()
	defer srv.Close()
	srv.SeedTasks(records)
	c := fakeClientB(b, srv)
	for range b.N {
		var samples []uint64
		n := 0
		for _, err := range c.Tasks.List(context.Background(), ListParams{Limit: MaxListLimit}).All() {
			if err != nil {
				b.Fatal(err)
			}
			if n++; n%10000 == 0 {
				b.StopTimer()
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				samples = append(samples, ms.HeapAlloc)
				b.StartTimer()
			}
		}
		if n != records {
			b.Fatalf("streamed %d", n)
		}
		lo, hi := samples[0], samples[0]
		for _, s := range samples {
			lo, hi = min(lo, s), max(hi, s)
		}
		b.ReportMetric(float64(hi-lo)/(1<<20), "heap-spread-MiB")
		b.ReportMetric(float64(int64(samples[len(samples)-1])-int64(samples[0]))/(1<<20), "heap-growth-MiB")
	}
}

func fakeClientB(b *testing.B, srv *hubspottest.Server) *Client {
	c, err := New(WithToken(srv.Token()), WithBaseURL(srv.URL), WithRateLimit(1000000, time.Second))
	if err != nil {
		b.Fatal(err)
	}
	return c
}
