package facade

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// cutShort answers status with the first half of body, then closes the
// connection: HubSpot's success answer lost halfway.
func cutShort(status int, body string) func(w http.ResponseWriter, r *http.Request, n int64) {
	return func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body[:len(body)/2]))
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	}
}

const createdTask = `{"id":"80000000001","properties":{"hs_task_subject":"a"},"createdAt":"2025-01-01T00:00:00.000Z","updatedAt":"2025-01-01T00:00:00.000Z","archived":false}`

// TestSuccessCutShortIsUncertain: a create whose success answer is lost
// halfway was carried out; it must be reported as maybe created, never as
// failed (which would make a caller send it again).
func TestSuccessCutShortIsUncertain(t *testing.T) {
	batch := `{"status":"COMPLETE","results":[` + createdTask + `],"startedAt":"2025-01-01T00:00:00.000Z","completedAt":"2025-01-01T00:00:00.000Z"}`
	engagement := `{"engagement":{"id":4294968296,"type":"NOTE","timestamp":1},"associations":{},"metadata":{"body":"hello"}}`
	tests := []struct {
		name string
		body string
		call func(c *Client) error
	}{
		{"v3 create", createdTask, func(c *Client) error {
			_, err := c.Tasks.Create(context.Background(), Properties{"hs_task_subject": "a"})
			return err
		}},
		{"v1 create", engagement, func(c *Client) error {
			_, err := c.Engagements.Create(context.Background(), NewEngagement{Metadata: &NoteMetadata{Body: "hello"}})
			return err
		}},
		{"batch create", batch, func(c *Client) error {
			res, err := c.Tasks.BatchCreate(context.Background(), []Properties{{"hs_task_subject": "a"}})
			if res == nil || len(res.Failures) != 1 || !res.Failures[0].Uncertain() {
				return fmt.Errorf("failures %+v: %w", res, err)
			}
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, cutShort(http.StatusCreated, tt.body))
			c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()))
			err := tt.call(c)
			var u *UncertainError
			if !errors.As(err, &u) {
				t.Fatalf("err = %v, want an *UncertainError", err)
			}
			if s.count() != 1 {
				t.Errorf("%d requests: a create whose answer was lost must not be sent again", s.count())
			}
		})
	}
}

// TestCancelWhileReadingSuccessIsUncertain: the caller's context ends while
// HubSpot's success answer is being read.
func TestCancelWhileReadingSuccessIsUncertain(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	release := make(chan struct{})
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(createdTask[:10]))
		w.(http.Flusher).Flush()
		cancel() // the caller gives up while the answer is on its way
		<-release
	})
	defer close(release)
	c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()))
	_, err := c.Tasks.Create(ctx, Properties{"hs_task_subject": "a"})
	var u *UncertainError
	if !errors.As(err, &u) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want an *UncertainError wrapping context.Canceled", err)
	}
}

// TestRedirectsAreNotFollowed: HubSpot does not redirect; a 3xx must not
// carry the token elsewhere, nor turn a create into a GET.
func TestRedirectsAreNotFollowed(t *testing.T) {
	other := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) { writeJSON(w, 200, createdTask) })
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		http.Redirect(w, r, other.URL+"/prefix/crm/v3/objects/tasks/1", http.StatusFound)
	})
	c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()))
	_, getErr := c.Tasks.Get(context.Background(), "1", GetParams{})
	_, createErr := c.Tasks.Create(context.Background(), Properties{"hs_task_subject": "a"})
	if other.count() != 0 {
		t.Fatalf("the redirect was followed %d times (with the token)", other.count())
	}
	var api *APIError
	if !errors.As(getErr, &api) || api.StatusCode != http.StatusFound {
		t.Errorf("get: err = %v, want a 302 *APIError", getErr)
	}
	var u *UncertainError
	if !errors.As(createErr, &u) || !errors.As(createErr, &api) || api.StatusCode != http.StatusFound {
		t.Errorf("create: err = %v, want an *UncertainError around the 302", createErr)
	}
}

// TestFarFutureRetryAfterFailsAtOnce: a Retry-After beyond what the retry
// policy has left fails with the 429 instead of waiting (or overflowing).
func TestFarFutureRetryAfterFailsAtOnce(t *testing.T) {
	for _, ra := range []string{"Fri, 31 Dec 9999 23:59:59 GMT", "999999", "9223372036854775807"} {
		t.Run(ra, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
				w.Header().Set("Retry-After", ra)
				writeJSON(w, 429, `{"status":"error","message":"slow down","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}`)
			})
			clk := newFakeClock()
			c := newClient(t, s.URL+"/prefix", withClock(clk))
			done := make(chan error, 1)
			go func() {
				_, err := c.Tasks.Get(context.Background(), "1", GetParams{})
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, ErrRateLimited) {
					t.Fatalf("err = %v, want the 429", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("still waiting after 10 s")
			}
			if clk.slept > 0 || s.count() != 1 {
				t.Errorf("slept %v and sent %d requests", clk.slept, s.count())
			}
		})
	}
}

// TestSuccessBodyIsBounded: a success answer larger than the limit fails
// with ErrResponseTooLarge.
func TestSuccessBodyIsBounded(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		writeJSON(w, 200, `{"id":"1","properties":{"hs_task_body":"`+strings.Repeat("x", 4096)+`"}}`)
	})
	c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()), WithMaxResponseBody(1024))
	_, err := c.Tasks.Get(context.Background(), "1", GetParams{})
	if !errors.Is(err, ErrResponseTooLarge) {
		t.Fatalf("err = %v, want ErrResponseTooLarge", err)
	}
	if _, err := New(WithToken("x"), WithMaxResponseBody(0)); err == nil {
		t.Error("WithMaxResponseBody(0) accepted")
	}
}
