package facade

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// synctestClient is a Client for a synctest bubble, its server outside:
// no connection is kept alive between requests, so that no goroutine of
// the bubble sits reading an idle connection while the Client waits, and
// the bubble's clock jumps over every wait.
func synctestClient(t *testing.T, base string, opts ...Option) *Client {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	return newClient(t, base, append([]Option{WithHTTPClient(hc)}, opts...)...)
}

const tenSecondlyBody = `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}`

// TestEveryWaitFitsInTheBudget: whatever HubSpot announces (one request a
// day, 429s forever with a Retry-After of 0, a negative one, none, one of
// a second, a huge one), a request with RetryPolicy{MaxElapsed: 15s} (or a
// context of 5 s) never spends longer than that, and fails with a
// *RateLimitError that says what HubSpot announced.
func TestEveryWaitFitsInTheBudget(t *testing.T) {
	rateLimited := func(retryAfter, body string) func(w http.ResponseWriter, r *http.Request, n int64) {
		return func(w http.ResponseWriter, r *http.Request, n int64) {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			writeJSON(w, 429, body)
		}
	}
	tests := []struct {
		name     string
		handler  func(w http.ResponseWriter, r *http.Request, n int64)
		deadline time.Duration // of the caller's context, 0 for none
		bound    string
		says     string // in the error's text
		maxReqs  int
	}{
		{
			name: "one request per day announced",
			handler: func(w http.ResponseWriter, r *http.Request, n int64) {
				w.Header().Set("X-HubSpot-RateLimit-Max", "1")
				w.Header().Set("X-HubSpot-RateLimit-Interval-Milliseconds", "86400000")
				w.Header().Set("X-HubSpot-RateLimit-Remaining", "0")
				writeJSON(w, 200, `{"id":"7","properties":{}}`)
			},
			bound: "RetryPolicy.MaxElapsed", says: "1 per 24h0m0s", maxReqs: 1,
		},
		{name: "429 forever, Retry-After 0", handler: rateLimited("0", tenSecondlyBody), bound: "RetryPolicy.MaxElapsed", says: `Retry-After "0"`, maxReqs: 2},
		{name: "429 forever, Retry-After negative", handler: rateLimited("-5", tenSecondlyBody), bound: "RetryPolicy.MaxElapsed", says: `Retry-After "-5"`, maxReqs: 2},
		{name: "429 forever, no Retry-After", handler: rateLimited("", tenSecondlyBody), bound: "RetryPolicy.MaxElapsed", says: "TEN_SECONDLY_ROLLING with no Retry-After", maxReqs: 2},
		{name: "429 forever, no body", handler: rateLimited("", ""), bound: "RetryPolicy.MaxElapsed", says: "a 429 with no Retry-After", maxReqs: 2},
		{name: "429 forever, Retry-After 1", handler: rateLimited("1", tenSecondlyBody), bound: "RetryPolicy.MaxElapsed", says: `Retry-After "1"`, maxReqs: 16},
		{name: "429, Retry-After huge", handler: rateLimited("999999", tenSecondlyBody), bound: "RetryPolicy.MaxElapsed", says: `Retry-After "999999"`, maxReqs: 1},
		{name: "429, Retry-After past the context", handler: rateLimited("10", tenSecondlyBody), deadline: 5 * time.Second, bound: "the context's deadline", says: `Retry-After "10"`, maxReqs: 1},
		{name: "429 without Retry-After, past the context", handler: rateLimited("", tenSecondlyBody), deadline: 5 * time.Second, bound: "the context's deadline", says: "no Retry-After", maxReqs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newStub(t, tt.handler)
			synctest.Test(t, func(t *testing.T) {
				c := synctestClient(t, srv.URL+"/prefix", WithRetryPolicy(RetryPolicy{MaxElapsed: 15 * time.Second}))
				ctx := context.Background()
				if tt.deadline > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.deadline)
					defer cancel()
				}
				start := time.Now()
				var err error
				for i := 0; i < 3 && err == nil; i++ { // the day's one request succeeds
					_, err = c.Tasks.Get(ctx, "7", GetParams{})
				}
				spent := time.Since(start)
				var rle *RateLimitError
				if !errors.As(err, &rle) || rle.Bound != tt.bound || !strings.Contains(err.Error(), tt.says) || !errors.Is(err, ErrRateLimited) {
					t.Fatalf("err = %v, want a *RateLimitError against %s saying %s", err, tt.bound, tt.says)
				}
				limit := 15 * time.Second
				if tt.deadline > 0 {
					limit = tt.deadline
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("a refusal for the context's deadline is not context.DeadlineExceeded")
					}
				}
				if spent > limit || rle.Wait <= rle.Left {
					t.Errorf("spent %v (limit %v); refused a wait of %v with %v left", spent, limit, rle.Wait, rle.Left)
				}
				if n := srv.count(); n > tt.maxReqs {
					t.Errorf("%d requests, want at most %d", n, tt.maxReqs)
				}
			})
		})
	}
}

// stallBody answers status with the first bytes of body, then sends
// nothing more until the client gives up.
func stallBody(status int, body string) func(w http.ResponseWriter, r *http.Request, n int64) {
	return func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body[:len(body)/3]))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}
}

// TestReadsAreRetriedWhenTheirAnswerIsLost: a read whose answer is cut
// after part of its body, or stops coming until the attempt's timeout, is
// sent again by the same policy as one that failed before the headers
// (GET, a page of a listing, search and batch read, a POST that reads);
// creates stay uncertain (TestSuccessCutShortIsUncertain).
func TestReadsAreRetriedWhenTheirAnswerIsLost(t *testing.T) {
	page := `{"results":[` + createdTask + `]}`
	batch := `{"status":"COMPLETE","results":[` + createdTask + `],"startedAt":"2025-01-01T00:00:00.000Z","completedAt":"2025-01-01T00:00:00.000Z"}`
	calls := []struct {
		name, answer string
		call         func(c *Client) (string, error)
	}{
		{"get", createdTask, func(c *Client) (string, error) {
			task, err := c.Tasks.Get(context.Background(), "80000000001", GetParams{})
			return task.ID(), err
		}},
		{"list page", page, func(c *Client) (string, error) {
			return lastID(c.Tasks.List(context.Background(), ListParams{}))
		}},
		{"search", `{"total":1,"results":[` + createdTask + `]}`, func(c *Client) (string, error) {
			return lastID(c.Tasks.Search(context.Background(), SearchParams{}))
		}},
		{"batch read", batch, func(c *Client) (string, error) {
			res, err := c.Tasks.BatchRead(context.Background(), []string{"80000000001"}, BatchReadParams{})
			if err != nil || len(res.Records) != 1 || len(res.Failures) != 0 {
				return "", fmt.Errorf("%+v: %w", res, err)
			}
			return res.Records[0].ID(), nil
		}},
	}
	faults := []struct {
		name  string
		fault func(status int, body string) func(w http.ResponseWriter, r *http.Request, n int64)
	}{
		{"cut after part of the body", cutShort},
		{"body stops until the timeout", stallBody},
	}
	for _, f := range faults {
		for _, tt := range calls {
			t.Run(f.name+"/"+tt.name, func(t *testing.T) {
				lost := f.fault(http.StatusOK, tt.answer)
				srv := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
					if n <= 2 {
						lost(w, r, n)
						return
					}
					writeJSON(w, 200, tt.answer)
				})
				var retried []error
				c := newClient(t, srv.URL+"/prefix", withClock(newFakeClock()), WithTimeout(100*time.Millisecond), WithObserver(Observer{Attempt: func(e AttemptEvent) {
					if e.Retry {
						retried = append(retried, e.Err)
					}
				}}))
				id, err := tt.call(c)
				if err != nil || id != "80000000001" {
					t.Fatalf("got %q, %v; want the record after two lost answers", id, err)
				}
				// 3 requests; more only when a loaded machine let the whole
				// answer miss the 100 ms timeout, which is retried too.
				if n := srv.count(); n < 3 || len(retried) != n-1 || retried[0] == nil || retried[1] == nil {
					t.Errorf("%d requests, retries %v; want 3 requests, the 2 lost answers retried with their error", n, retried)
				}
			})
		}
	}
}

// lastID is the id of the last task p lists.
func lastID(p *Pager[Task]) (string, error) {
	var id string
	for task, err := range p.All() {
		if err != nil {
			return "", err
		}
		id = task.ID()
	}
	return id, nil
}

// blockingLimiter waits until its context ends, whatever the deadline: a
// Limiter of the caller's that does not return early.
type blockingLimiter struct{ calls int }

func (l *blockingLimiter) Wait(ctx context.Context, _ LimitClass) (time.Duration, error) {
	l.calls++
	if l.calls == 1 {
		return 0, nil
	}
	<-ctx.Done()
	return 0, ctx.Err()
}

func (l *blockingLimiter) Observe(LimitObservation) {}

// TestWaitsEndWithTheBudget: a Limiter that waits until its context ends
// is cut at MaxElapsed, with a *RateLimitError; a backoff longer than what
// the context has left is not started: the failure it would have retried
// is returned at once, before the deadline (each backoff is drawn from
// [0, 2 s]: the request ends at the first that does not fit).
func TestWaitsEndWithTheBudget(t *testing.T) {
	t.Run("a limiter that waits on", func(t *testing.T) {
		srv := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
			writeJSON(w, 503, `{"status":"error","message":"down"}`)
		})
		synctest.Test(t, func(t *testing.T) {
			c := synctestClient(t, srv.URL+"/prefix", WithLimiter(&blockingLimiter{}), WithRetryPolicy(RetryPolicy{MaxElapsed: 15 * time.Second, BaseDelay: time.Millisecond}))
			start := time.Now()
			_, err := c.Tasks.Get(context.Background(), "7", GetParams{})
			var rle *RateLimitError
			if spent := time.Since(start); !errors.As(err, &rle) || rle.Reason != WaitRateLimit || spent > 15*time.Second {
				t.Fatalf("after %v: err = %v, want a *RateLimitError for the Limiter's wait within 15 s", spent, err)
			}
		})
	})
	t.Run("a backoff past the context", func(t *testing.T) {
		srv := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
			writeJSON(w, 503, `{"status":"error","message":"down"}`)
		})
		synctest.Test(t, func(t *testing.T) {
			c := synctestClient(t, srv.URL+"/prefix", WithRetryPolicy(RetryPolicy{BaseDelay: 2 * time.Second, MaxDelay: 2 * time.Second}))
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			_, err := c.Tasks.Get(ctx, "7", GetParams{})
			var api *APIError
			if !errors.As(err, &api) || api.StatusCode != 503 || ctx.Err() != nil {
				t.Fatalf("err = %v (context %v), want the 503 before the context's deadline", err, ctx.Err())
			}
		})
	})
}
