package facade

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// TestClientsSharingALimiterKeepOneBudget: Clients given one NewLimiter
// keep, together, the limit HubSpot counts per token: listing at once, they
// meet no 429 from the fake (20 requests per second). The same Clients each
// with a Limiter of its own overrun it, so the test can tell the two apart.
//
// The margin is generous, for the race detector on a loaded two-core
// machine: the Limiter admits 20 starts in any 2 s (Fixed, so that it does
// not follow the fake's announced 20 per second up to the edge), a second
// more than the fake's window. The fake counts 21 in one second only if a
// request reached it more than a second after one the Limiter admitted
// after it. Four clients reading 10 pages each take about 2 s shared.
func TestClientsSharingALimiterKeepOneBudget(t *testing.T) {
	const clients, pages, pageSize = 4, 10, 5
	config := LimiterConfig{Max: 20, Window: 2 * time.Second, Fixed: true}
	for _, shared := range []bool{true, false} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			srv := hubspottest.NewServer(hubspottest.WithRateLimit(20, time.Second))
			defer srv.Close()
			srv.SeedTasks(pages * pageSize)
			one := NewLimiter(config)
			var wg sync.WaitGroup
			listed := make([]int, clients)
			for i := range clients {
				lim := one
				if !shared {
					lim = NewLimiter(config)
				}
				c, err := New(WithToken(srv.Token()), WithBaseURL(srv.URL), WithLimiter(lim))
				if err != nil {
					t.Fatal(err)
				}
				wg.Go(func() {
					for _, err := range c.Tasks.List(context.Background(), ListParams{Limit: pageSize}).All() {
						if err != nil {
							t.Errorf("client %d: %v", i, err)
							return
						}
						listed[i]++
					}
				})
			}
			wg.Wait()
			var n429 int
			reqs := srv.Requests()
			for _, r := range reqs {
				if r.Status == http.StatusTooManyRequests {
					n429++
				}
			}
			t.Logf("%d requests, %d answered 429", len(reqs), n429)
			for i, n := range listed {
				if n != pages*pageSize {
					t.Errorf("client %d listed %d tasks, want %d", i, n, pages*pageSize)
				}
			}
			if shared && n429 != 0 {
				t.Errorf("clients sharing one Limiter met %d 429s", n429)
			}
			if !shared && n429 == 0 {
				t.Error("clients pacing only themselves met no 429: the test cannot tell")
			}
		})
	}
}
