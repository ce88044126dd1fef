package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// TestExportKeepsToItsWaitBound: whatever HubSpot announces, the CLI waits
// no longer than its documented bound (the default retry policy: 2 minutes
// a request, README "Rate limits and retries"), then exits 1 saying what
// HubSpot announced. The server is outside the bubble and closes every
// connection, so the bubble's clock jumps over the waits.
func TestExportKeepsToItsWaitBound(t *testing.T) {
	const page = `{"results":[{"id":"1","properties":{},"createdAt":"2025-01-01T00:00:00.000Z","updatedAt":"2025-01-01T00:00:00.000Z","archived":false}],"paging":{"next":{"after":"1"}}}`
	tests := []struct {
		name   string
		answer func(w http.ResponseWriter)
		says   string
	}{
		{"one request per day", func(w http.ResponseWriter) {
			w.Header().Set("X-HubSpot-RateLimit-Max", "1")
			w.Header().Set("X-HubSpot-RateLimit-Interval-Milliseconds", "86400000")
			w.WriteHeader(200)
			_, _ = w.Write([]byte(page))
		}, "a limit of 1 per 24h0m0s"},
		{"429 forever, Retry-After 0", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(429)
			_, _ = w.Write([]byte(`{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}`))
		}, `Retry-After "0"`},
		{"429 forever, Retry-After 7", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(429)
			_, _ = w.Write([]byte(`{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","policyName":"SECONDLY"}`))
		}, `Retry-After "7"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Connection", "close")
				w.Header().Set("Content-Type", "application/json")
				tt.answer(w)
			}))
			defer srv.Close()
			synctest.Test(t, func(t *testing.T) {
				c := &cli{t: t, env: map[string]string{"HUBSPOT_TOKEN": "pat-na1-test", "HUBSPOT_BASE_URL": srv.URL}}
				start := time.Now()
				code, _, stderr := c.runCtx(context.Background(), "", "export", "--object", "tasks")
				if took := time.Since(start); took > 2*time.Minute {
					t.Errorf("the export waited %v, past its 2-minute bound", took)
				}
				if code != exitAPI || !strings.Contains(stderr, tt.says) || !strings.Contains(stderr, "does not fit in RetryPolicy.MaxElapsed") {
					t.Errorf("exit %d, stderr %q; want exit %d saying HubSpot announced %s", code, stderr, exitAPI, tt.says)
				}
			})
		})
	}
}
