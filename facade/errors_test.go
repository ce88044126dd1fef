package facade

import (
	"github.com/engagekit/hubspot-engagements/internal/pipeline"

	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAPIErrorFromEveryBodyShape(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		ctype, body string
		header      map[string]string
		check       func(t *testing.T, e *APIError)
		is          []error
	}{
		{
			name: "v3 not found", status: 404, ctype: "application/json",
			body: `{"status":"error","message":"Object not found.  objectId are usually numeric.","correlationId":"c-1","context":{"id":["x"]},"category":"OBJECT_NOT_FOUND"}`,
			check: func(t *testing.T, e *APIError) {
				if e.Category != "OBJECT_NOT_FOUND" || e.CorrelationID != "c-1" || e.Context["id"][0] != "x" {
					t.Errorf("%+v", e)
				}
			},
			is: []error{ErrNotFound},
		},
		{
			name: "v1 validation results", status: 400, ctype: "application/json",
			body: `{"status":"error","message":"Property values were not valid","correlationId":"c-2","validationResults":[{"isValid":false,"message":"bad","error":"INVALID_LONG","name":"ownerId"}],"requestId":"r-2"}`,
			check: func(t *testing.T, e *APIError) {
				if len(e.Errors) != 1 || e.Errors[0].Name != "ownerId" || e.RequestID != "r-2" {
					t.Errorf("%+v", e)
				}
			},
		},
		{
			name: "rate limit ten-secondly", status: 429, ctype: "application/json",
			body:   `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"c-3","policyName":"TEN_SECONDLY_ROLLING","groupName":"g"}`,
			header: map[string]string{"Retry-After": "2"},
			check: func(t *testing.T, e *APIError) {
				if e.PolicyName != "TEN_SECONDLY_ROLLING" || e.ErrorType != "RATE_LIMIT" || e.RetryAfter != 2*time.Second {
					t.Errorf("%+v", e)
				}
			},
			is: []error{ErrRateLimited},
		},
		{
			name: "daily", status: 429, ctype: "application/json",
			body: `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"}`,
			is:   []error{ErrRateLimited, ErrDailyLimit},
		},
		{
			name: "HTML gateway page keeps its status", status: 503, ctype: "text/html",
			body:   "<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>",
			header: map[string]string{"X-HubSpot-Correlation-Id": "c-4"},
			check: func(t *testing.T, e *APIError) {
				if e.StatusCode != 503 || !strings.Contains(e.Message, "Service Unavailable") || e.CorrelationID != "c-4" {
					t.Errorf("%+v", e)
				}
			},
		},
		{
			name: "empty body", status: 401, is: []error{ErrUnauthorized},
			check: func(t *testing.T, e *APIError) {
				if e.Message != "Unauthorized" {
					t.Errorf("message %q", e.Message)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				if tt.ctype != "" {
					w.Header().Set("Content-Type", tt.ctype)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			c := newClient(t, s.URL+"/prefix", WithRetryPolicy(RetryPolicy{MaxAttempts: 1, MaxElapsed: time.Minute, MaxRateLimitWaits: -1}))
			_, err := c.Tasks.Get(context.Background(), "1", GetParams{})
			var e *APIError
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if e.StatusCode != tt.status {
				t.Errorf("status %d, want %d", e.StatusCode, tt.status)
			}
			if e.Method != "GET" || e.Path != "/prefix/crm/v3/objects/tasks/1" {
				t.Errorf("request %s %s", e.Method, e.Path)
			}
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(%v) false", target)
				}
			}
			if tt.status != 404 && errors.Is(err, ErrNotFound) {
				t.Error("matches ErrNotFound")
			}
			if strings.Contains(err.Error(), testToken) {
				t.Error("token in error text")
			}
			if tt.check != nil {
				tt.check(t, e)
			}
		})
	}
}

func TestErrorBodyIsBounded(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		w.WriteHeader(400)
		_, _ = w.Write([]byte(strings.Repeat("x", 3<<20)))
	})
	c := newClient(t, s.URL+"/prefix")
	_, err := c.Tasks.Get(context.Background(), "1", GetParams{})
	var e *APIError
	if !errors.As(err, &e) || len(e.Body) != maxErrorBody {
		t.Fatalf("body %d bytes, want %d (err %v)", len(e.Body), maxErrorBody, err)
	}
}

func TestContextErrorIsReturned(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) { writeJSON(w, 200, `{}`) })
	c := newClient(t, s.URL+"/prefix")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Tasks.Get(ctx, "1", GetParams{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if s.count() != 0 {
		t.Errorf("%d requests sent with a done context", s.count())
	}
}

func TestTokenNeverInErrors(t *testing.T) {
	// A transport error quoting the token is redacted.
	err := pipeline.Redact(errors.New("dial failed for Bearer "+testToken), testToken)
	if strings.Contains(err.Error(), testToken) || !strings.Contains(err.Error(), "REDACTED") {
		t.Fatalf("not redacted: %v", err)
	}
	// A refused connection: the error names the operation, never the token.
	c := newClient(t, "http://127.0.0.1:1/prefix", WithRetryPolicy(RetryPolicy{MaxAttempts: 1, MaxElapsed: time.Second}))
	_, err = c.Tasks.Get(context.Background(), "1", GetParams{})
	if err == nil || strings.Contains(err.Error(), testToken) || !strings.Contains(err.Error(), "tasks.get") {
		t.Fatalf("err = %v", err)
	}
}
