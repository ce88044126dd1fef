package facade

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestLimiterOptionsConflict: WithLimiter replaces the Client's own
// limiter, so New refuses it beside an option that configures that one,
// in either order, instead of ignoring the option.
func TestLimiterOptionsConflict(t *testing.T) {
	shared := NewLimiter(LimiterConfig{})
	tests := []struct {
		name string
		opts []Option
		want string // the option New names, "" when New succeeds
	}{
		{"limiter alone", []Option{WithLimiter(shared)}, ""},
		{"own limits alone", []Option{WithRateLimit(LimitProfessional, 10*time.Second), WithoutAdaptiveRateLimit()}, ""},
		{"rate limit after", []Option{WithLimiter(shared), WithRateLimit(LimitProfessional, 10*time.Second)}, "WithRateLimit"},
		{"rate limit before", []Option{WithRateLimit(LimitProfessional, 10*time.Second), WithLimiter(shared)}, "WithRateLimit"},
		{"search limit", []Option{WithLimiter(shared), WithSearchRateLimit(4, time.Second)}, "WithSearchRateLimit"},
		{"not adaptive", []Option{WithoutAdaptiveRateLimit(), WithLimiter(shared)}, "WithoutAdaptiveRateLimit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(append([]Option{WithToken(testToken)}, tt.opts...)...)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != "limiter" || !strings.Contains(ve.Problem, tt.want) {
				t.Fatalf("New = %v, want a *ValidationError on limiter naming %s", err, tt.want)
			}
		})
	}
}

// countingLimiter is a Limiter of the caller's, written from its documented
// methods only.
type countingLimiter struct {
	waits   map[LimitClass]int
	answers []LimitObservation
}

func (l *countingLimiter) Wait(_ context.Context, c LimitClass) (time.Duration, error) {
	l.waits[c]++
	return 0, nil
}

func (l *countingLimiter) Observe(o LimitObservation) { l.answers = append(l.answers, o) }

// TestCallerLimiterSeesEveryAttempt: a Limiter implemented outside the
// package is asked before each attempt, with the class of the request, and
// told what each answer said.
func TestCallerLimiterSeesEveryAttempt(t *testing.T) {
	srv := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("X-HubSpot-RateLimit-Max", "190")
		w.Header().Set("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
		w.Header().Set("X-HubSpot-RateLimit-Remaining", "150")
		writeJSON(w, 200, `{"id":"7","properties":{}}`)
	})
	l := &countingLimiter{waits: map[LimitClass]int{}}
	c := newClient(t, srv.URL+"/prefix", WithLimiter(l))
	if _, err := c.Tasks.Get(context.Background(), "7", GetParams{}); err != nil {
		t.Fatal(err)
	}
	if l.waits[ClassGeneral] != 1 || l.waits[ClassSearch] != 0 {
		t.Errorf("waits = %v", l.waits)
	}
	want := LimitObservation{Class: ClassGeneral, Status: 200, Max: 190, Interval: 10 * time.Second, Remaining: 150}
	if len(l.answers) != 1 || l.answers[0] != want {
		t.Errorf("observed %+v, want %+v", l.answers, want)
	}
}
