package facade

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func hijackClose(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

const gatewayPage = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"

func TestRetryPolicy(t *testing.T) {
	ok := func(w http.ResponseWriter) { writeJSON(w, 200, `{"id":"7","properties":{}}`) }
	created := func(w http.ResponseWriter) { writeJSON(w, 201, `{"id":"7","properties":{}}`) }
	html503 := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(503)
		_, _ = w.Write([]byte(gatewayPage))
	}
	tenSecondly := func(w http.ResponseWriter) {
		writeJSON(w, 429, `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}`)
	}
	tests := []struct {
		name     string
		answers  []func(http.ResponseWriter) // answer n for request n; the last repeats
		call     func(c *Client) error
		requests int
		check    func(t *testing.T, err error, slept time.Duration)
	}{
		{
			name: "GET retried after HTML 503s", answers: []func(http.ResponseWriter){html503, html503, ok},
			call: func(c *Client) error { _, err := c.Tasks.Get(context.Background(), "7", GetParams{}); return err }, requests: 3,
			check: func(t *testing.T, err error, _ time.Duration) {
				if err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			name: "GET gives up after MaxAttempts", answers: []func(http.ResponseWriter){html503},
			call: func(c *Client) error { _, err := c.Tasks.Get(context.Background(), "7", GetParams{}); return err }, requests: 5,
			check: func(t *testing.T, err error, _ time.Duration) {
				var e *APIError
				if !errors.As(err, &e) || e.StatusCode != 503 {
					t.Fatalf("err = %v", err)
				}
			},
		},
		{
			name: "GET retried after a dropped connection", answers: []func(http.ResponseWriter){hijackClose, ok},
			call: func(c *Client) error { _, err := c.Tasks.Get(context.Background(), "7", GetParams{}); return err }, requests: 2,
			check: func(t *testing.T, err error, _ time.Duration) {
				if err != nil {
					t.Fatal(err)
				}
			},
		},
		{
			name: "create not retried after a 503: uncertain", answers: []func(http.ResponseWriter){html503, created},
			call: func(c *Client) error {
				_, err := c.Tasks.Create(context.Background(), CreateInput{Properties: Properties{"a": "b"}})
				return err
			}, requests: 1,
			check: func(t *testing.T, err error, _ time.Duration) {
				var u *UncertainError
				var e *APIError
				if !errors.As(err, &u) || !errors.As(err, &e) || e.StatusCode != 503 || len(u.Inputs) != 1 {
					t.Fatalf("err = %v", err)
				}
			},
		},
		{
			name: "create not retried after a dropped connection: uncertain", answers: []func(http.ResponseWriter){hijackClose, created},
			call: func(c *Client) error {
				_, err := c.Engagements.Create(context.Background(), EngagementInput{Metadata: &NoteMetadata{Body: "x"}})
				return err
			}, requests: 1,
			check: func(t *testing.T, err error, _ time.Duration) {
				var u *UncertainError
				if !errors.As(err, &u) {
					t.Fatalf("err = %v", err)
				}
			},
		},
		{
			name: "create retried after a 429: it never ran", answers: []func(http.ResponseWriter){tenSecondly, created},
			call: func(c *Client) error {
				_, err := c.Tasks.Create(context.Background(), CreateInput{Properties: Properties{"a": "b"}})
				return err
			}, requests: 2,
			check: func(t *testing.T, err error, slept time.Duration) {
				if err != nil {
					t.Fatal(err)
				}
				if slept < 10*time.Second {
					t.Errorf("waited %v after a ten-secondly 429, want the rest of the window", slept)
				}
			},
		},
		{
			name: "Retry-After is honoured", answers: []func(http.ResponseWriter){func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", "3")
				writeJSON(w, 429, `{"status":"error","message":"slow down"}`)
			}, ok},
			call: func(c *Client) error { _, err := c.Tasks.Get(context.Background(), "7", GetParams{}); return err }, requests: 2,
			check: func(t *testing.T, err error, slept time.Duration) {
				if err != nil || slept != 3*time.Second {
					t.Fatalf("err %v, slept %v, want 3s", err, slept)
				}
			},
		},
		{
			name: "search 429 waits a second", answers: []func(http.ResponseWriter){func(w http.ResponseWriter) {
				writeJSON(w, 429, `{"status":"error","message":"You have reached your secondly limit.","category":"RATE_LIMITS"}`)
			}, func(w http.ResponseWriter) { writeJSON(w, 200, `{"total":0,"results":[]}`) }},
			call: func(c *Client) error {
				for _, err := range c.Tasks.Search(context.Background(), SearchParams{}).All() {
					return err
				}
				return nil
			}, requests: 2,
			check: func(t *testing.T, err error, slept time.Duration) {
				if err != nil || slept != time.Second {
					t.Fatalf("err %v, slept %v, want 1s", err, slept)
				}
			},
		},
		{
			name: "DAILY is not retried", answers: []func(http.ResponseWriter){func(w http.ResponseWriter) {
				writeJSON(w, 429, `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"}`)
			}, ok},
			call: func(c *Client) error { _, err := c.Tasks.Get(context.Background(), "7", GetParams{}); return err }, requests: 1,
			check: func(t *testing.T, err error, _ time.Duration) {
				if !errors.Is(err, ErrDailyLimit) {
					t.Fatalf("err = %v", err)
				}
			},
		},
		{
			name: "batch update not retried after a 502", answers: []func(http.ResponseWriter){func(w http.ResponseWriter) { w.WriteHeader(502) }, ok},
			call: func(c *Client) error {
				_, err := c.Tasks.BatchUpdate(context.Background(), []UpdateInput{{ID: "1", Properties: Properties{"a": "b"}}})
				return err
			}, requests: 1,
			check: func(t *testing.T, err error, _ time.Duration) {
				var be *BatchError
				if !errors.As(err, &be) || !be.Failures[0].Uncertain() {
					t.Fatalf("err = %v", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
				tt.answers[min(int(n), len(tt.answers))-1](w)
			})
			clk := newFakeClock()
			c := newClient(t, s.URL+"/prefix", withClock(clk))
			err := tt.call(c)
			if s.count() != tt.requests {
				t.Errorf("%d requests, want %d", s.count(), tt.requests)
			}
			tt.check(t, err, clk.slept)
		})
	}
}

func TestCreateRetriedWhenTheConnectionIsRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: every dial is refused
	clk := newFakeClock()
	c := newClient(t, "http://"+addr+"/prefix", withClock(clk))
	_, err = c.Tasks.Create(context.Background(), CreateInput{Properties: Properties{"a": "b"}})
	var u *UncertainError
	if err == nil || errors.As(err, &u) {
		t.Fatalf("err = %v, want a plain failure (the request never left)", err)
	}
	if clk.slept == 0 {
		t.Error("no backoff: the refused create was not retried")
	}
}

func TestRetriesStopAtMaxElapsed(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) { w.WriteHeader(500) })
	clk := newFakeClock()
	c := newClient(t, s.URL+"/prefix", withClock(clk), WithRetryPolicy(RetryPolicy{MaxAttempts: 100, MaxElapsed: 3 * time.Second, BaseDelay: time.Second, MaxDelay: time.Second}))
	_, err := c.Tasks.Get(context.Background(), "1", GetParams{})
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != 500 {
		t.Fatalf("err = %v", err)
	}
	if clk.slept > 3*time.Second || s.count() >= 100 {
		t.Fatalf("slept %v over %d requests: MaxElapsed not honoured", clk.slept, s.count())
	}
}

func TestLoggerGetsOneRecordPerAttemptAndNoSecrets(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("X-HubSpot-RateLimit-Max", "100")
		w.Header().Set("X-HubSpot-RateLimit-Remaining", "97")
		w.Header().Set("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
		if n == 1 {
			w.WriteHeader(503)
			return
		}
		writeJSON(w, 200, `{"id":"1","properties":{"hs_task_body":"secret body"}}`)
	})
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()), WithLogger(log))
	if _, err := c.Tasks.Get(context.Background(), "1", GetParams{Properties: []string{"hs_task_body"}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log records, want 2:\n%s", len(lines), buf.String())
	}
	for _, want := range []string{`"method":"GET"`, `"path":"/prefix/crm/v3/objects/tasks/1"`, `"status":503`, `"attempt":1`, `"ratelimit_remaining":97`, `"wait"`} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("first record lacks %s: %s", want, lines[0])
		}
	}
	if !strings.Contains(lines[1], `"attempt":2`) || !strings.Contains(lines[1], `"status":200`) {
		t.Errorf("second record: %s", lines[1])
	}
	for _, secret := range []string{testToken, "secret body", "hs_task_body"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("log contains %q", secret)
		}
	}
}
