package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/engagekit/hubspot-engagements/facade/redislimit"
	"github.com/engagekit/hubspot-engagements/hubspottest"
	"github.com/engagekit/hubspot-engagements/internal/redistest"
)

// Two exports at once with --shared-limit on one real Redis count their
// requests in one budget, the token's: its window holds exactly the
// requests the fake HubSpot saw, made by two limiters (both listed as
// peers), and the limit the fake announced is learnt there for both.
// (Whether the shared window keeps the fake free of 429s depends on
// timing, which facade/redislimit's acceptance tests measure; this counts.)
func TestSharedLimitThroughARealRedis(t *testing.T) {
	t.Parallel()
	red := redistest.Start(t)
	const limit, window, tasks = 40, 10 * time.Second, 1000 // 20-odd requests: nothing leaves the window
	srv := testServer(hubspottest.WithRateLimit(limit, window))
	defer srv.Close()
	srv.SeedTasks(tasks)
	c := newCLI(t, srv)
	// Redis calls are bounded by 50 ms, which a machine running the other
	// tests with -race can exceed (4 runs in 60 did, paced in process for
	// a while and counted their starts late): give them 10 s here.
	c.hooks.redisOptions = []redislimit.Option{redislimit.WithTimeout(10 * time.Second)}
	// Each run waits at its first record for the other, so that both are
	// at work at once; a run that ends first lets the other go.
	var arrived sync.WaitGroup
	arrived.Add(2)
	both, ended := make(chan struct{}), make(chan struct{})
	go func() { arrived.Wait(); close(both) }()
	c.hooks.progress = func(n int) {
		if n == 1 {
			arrived.Done()
			select {
			case <-both:
			case <-ended:
			}
		}
	}
	type result struct {
		code      int
		out, errs string
	}
	results := make([]result, 2)
	var wg sync.WaitGroup
	var endOnce sync.Once
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer endOnce.Do(func() { close(ended) })
			code, out, errs := c.run("--shared-limit", red.URL(), "export", "--object", "tasks")
			results[i] = result{code, out, errs}
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 || len(lines(r.out)) != tasks {
			t.Fatalf("run %d: exit %d, %d records: %s", i, r.code, len(lines(r.out)), r.errs)
		}
		if strings.Contains(r.errs, "Redis unavailable") {
			t.Fatalf("run %d paced in process, not through Redis: %s", i, r.errs)
		}
	}
	reqs := srv.Requests()
	for _, r := range reqs {
		if r.Status != 200 {
			t.Errorf("%s %s answered %d", r.Method, r.Path, r.Status)
		}
	}

	opts, err := redis.ParseURL(red.URL())
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ctx := context.Background()
	key := "hubspot-ratelimit:{" + redislimit.TokenBudget(srv.Token()) + "}:"
	starts, err := rdb.ZRange(ctx, key+"general", 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(starts) != len(reqs) || len(reqs) < 2*tasks/100 {
		t.Errorf("the shared window holds %d starts; the fake saw %d requests", len(starts), len(reqs))
	}
	// A start's member is its limiter's id, a colon and a sequence number.
	var limiters []string
	for _, m := range starts {
		if id, _, _ := strings.Cut(m, ":"); !slices.Contains(limiters, id) {
			limiters = append(limiters, id)
		}
	}
	peers, err := rdb.ZRange(ctx, key+"peers", 0, -1).Result()
	slices.Sort(limiters)
	slices.Sort(peers)
	if err != nil || len(limiters) != 2 || !slices.Equal(peers, limiters) {
		t.Errorf("starts by limiters %q, peers %q (%v): want the two runs' limiters", limiters, peers, err)
	}
	learnt, err := rdb.HGetAll(ctx, key+"limit").Result()
	if want := map[string]string{"max": strconv.Itoa(limit), "window": fmt.Sprint(window.Microseconds())}; err != nil || !maps.Equal(learnt, want) {
		t.Errorf("learnt limit %v (%v), want %v", learnt, err, want)
	}
}
