package redislimit

import (
	"fmt"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/hubspottest"
	"github.com/engagekit/hubspot-engagements/internal/redistest"
)

// The benchmark of issue 14: P worker processes (this test binary, run
// again) each export the same 3,000 tasks, in pages of 100, through one
// token, from a fake HubSpot in this process with HubSpot's rolling limit
// (100 per 10 s) and its latency (30 ± 10 ms):
//
//   - local: each process paces only itself, adapting to the headers (the
//     behaviour without this package);
//   - redis: the processes share one budget through a redis-server;
//   - redis-killed: the same, Redis killed (SIGKILL) when half the requests
//     have arrived, and not restarted: each process then paces its share
//     of the budget in process;
//   - redis-killed-whole: the same with WithoutFallbackShare: each process
//     then paces the whole budget in process, adapting to the headers;
//   - redis-restarted: Redis killed at a third of the requests and
//     restarted at two thirds.
//
// It reports the 429s the fake answered (and their share of all requests)
// and the wall time, from the start signal to the last worker's result,
// over the theoretical bound (see bound). Run it with
//
//	go test -run '^$' -bench SharedLimit -benchtime 1x ./facade/redislimit/
const (
	benchTasks   = 3000
	benchPage    = 100
	benchMax     = 100
	benchWindow  = 10 * time.Second
	benchLatency = 30 * time.Millisecond
	benchJitter  = 10 * time.Millisecond
)

// bound is the earliest time the last of `requests` requests can be
// answered under HubSpot's rule alone: `lanes` processes each send their
// requests one after another, each request taking the nominal latency, and
// at most n requests start in any window w. Request k (of lane k mod
// lanes) starts when its lane's previous request is answered, and no
// earlier than request k−n's start + w. For 20 processes of 30 pages:
// 600 requests, 5 windows after the first, plus the 5 sequential requests
// each lane needs to fill the first window: 50.15 s; for 10 processes
// 20.30 s.
func bound(requests, lanes, n int, w, latency time.Duration) time.Duration {
	starts := make([]time.Duration, requests)
	laneFree := make([]time.Duration, lanes)
	var end time.Duration
	for k := range requests {
		lane := k % lanes
		s := laneFree[lane]
		if k >= n {
			s = max(s, starts[k-n]+w)
		}
		starts[k], laneFree[lane] = s, s+latency
		end = max(end, s+latency)
	}
	return end
}

func TestBound(t *testing.T) {
	cases := []struct {
		requests, lanes int
		want            time.Duration
	}{
		{600, 20, 50150 * time.Millisecond},
		{300, 10, 20300 * time.Millisecond},
		{30, 1, 900 * time.Millisecond},
	}
	for _, tc := range cases {
		if got := bound(tc.requests, tc.lanes, benchMax, benchWindow, benchLatency); got != tc.want {
			t.Errorf("bound(%d requests, %d lanes) = %v, want %v", tc.requests, tc.lanes, got, tc.want)
		}
	}
}

func BenchmarkSharedLimit(b *testing.B) {
	for _, procs := range []int{10, 20} {
		for _, mode := range []string{"local", "redis", "redis-killed", "redis-killed-whole", "redis-restarted"} {
			b.Run(fmt.Sprintf("procs=%d/%s", procs, mode), func(b *testing.B) {
				for range b.N {
					benchFleet(b, procs, mode)
				}
			})
		}
	}
}

func benchFleet(b *testing.B, procs int, mode string) {
	b.StopTimer()
	red := redistest.Start(b)
	srv := hubspottest.NewServer(hubspottest.WithRateLimit(benchMax, benchWindow), hubspottest.WithLatency(benchLatency, benchJitter))
	defer srv.Close()
	seeded := srv.SeedTasks(benchTasks)
	pages := (benchTasks + benchPage - 1) / benchPage
	requests := int64(procs * pages)
	tp, url := newTap(b, srv, requests/3, requests/2, 2*requests/3)
	redisURL := red.URL()
	if mode == "local" {
		redisURL = ""
	}
	var js []job
	for i := range procs {
		js = append(js, job{Name: fmt.Sprint(i), Fake: url, Token: srv.Token(), Redis: redisURL, Max: benchMax, Window: benchWindow, Page: benchPage,
			Whole: mode == "redis-killed-whole"})
	}
	f := startFleet(b, js)
	switch mode {
	case "redis-killed", "redis-killed-whole":
		go func() {
			<-tp.at[requests/2]
			red.Kill()
		}()
	case "redis-restarted":
		go func() {
			<-tp.at[requests/3]
			red.Kill()
			<-tp.at[2*requests/3]
			red.Restart(b)
		}()
	}
	b.StartTimer()
	results, wall := f.run(b)
	b.StopTimer()
	checkExact(b, srv, seeded, js, results)
	n429, total := count429(srv)
	fell, rejoined := 0, 0
	for _, r := range results {
		fell, rejoined = fell+r.FellBack, rejoined+r.Rejoined
	}
	bnd := bound(int(requests), procs, benchMax, benchWindow, benchLatency)
	b.ReportMetric(wall.Seconds(), "wall-s")
	b.ReportMetric(bnd.Seconds(), "bound-s")
	b.ReportMetric(wall.Seconds()/bnd.Seconds(), "x-bound")
	b.ReportMetric(float64(n429), "429s")
	b.ReportMetric(float64(total), "requests")
	b.ReportMetric(100*float64(n429)/float64(total), "429-%")
	b.ReportMetric(float64(fell), "fallbacks")
	b.ReportMetric(float64(rejoined), "rejoins")
}
