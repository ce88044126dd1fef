package facade

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// TestObserverSeesAttemptsWaitsAndRecords: the typed events a progress
// display needs, without parsing logs.
func TestObserverSeesAttemptsWaitsAndRecords(t *testing.T) {
	srv := hubspottest.NewServer()
	defer srv.Close()
	srv.SeedTasks(25)
	var mu sync.Mutex
	var attempts []AttemptEvent
	var waits []WaitEvent
	var records []RecordsEvent
	obs := Observer{
		Attempt: func(e AttemptEvent) { mu.Lock(); attempts = append(attempts, e); mu.Unlock() },
		Wait:    func(e WaitEvent) { mu.Lock(); waits = append(waits, e); mu.Unlock() },
		Records: func(e RecordsEvent) { mu.Lock(); records = append(records, e); mu.Unlock() },
	}
	// The limiter runs on a fake clock: the third request waits, whatever
	// the machine's load.
	c := fakeClient(t, srv, WithObserver(obs), WithRateLimit(2, 300*time.Millisecond), WithoutPrefetch(), withClock(newFakeClock()))
	n := 0
	for _, err := range c.Tasks.List(context.Background(), ListParams{Limit: 10}).All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	s := c.Tasks.Search(context.Background(), SearchParams{Limit: 10})
	if _, err := s.NextPage(context.Background()); err != nil {
		t.Fatal(err)
	}
	if total, ok := s.Total(); !ok || total != 25 {
		t.Errorf("search Total() = %d, %v; want 25, true", total, ok)
	}
	mu.Lock()
	defer mu.Unlock()
	if n != 25 || len(attempts) != 4 {
		t.Fatalf("%d records in %d attempts, want 25 in 4", n, len(attempts))
	}
	for _, a := range attempts {
		if a.Status != 200 || a.Attempt != 1 || a.Method == "" || a.Path == "" {
			t.Errorf("attempt %+v", a)
		}
	}
	if attempts[0].Op != "tasks.list" || attempts[3].Op != "tasks.search" {
		t.Errorf("ops %q … %q", attempts[0].Op, attempts[3].Op)
	}
	// 2 requests per 300 ms: the third list page waited for the window.
	if len(waits) == 0 || waits[0].Reason != WaitRateLimit || waits[0].Duration <= 0 {
		t.Errorf("waits %+v, want a rate-limit wait", waits)
	}
	want := []RecordsEvent{{"tasks.list", 10, -1}, {"tasks.list", 10, -1}, {"tasks.list", 5, -1}, {"tasks.search", 10, 25}}
	if len(records) != len(want) {
		t.Fatalf("records events %+v, want %+v", records, want)
	}
	for i := range want {
		if records[i] != want[i] {
			t.Errorf("records[%d] = %+v, want %+v", i, records[i], want[i])
		}
	}
}
