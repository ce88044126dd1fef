// Command engagements moves HubSpot sales activity — engagements (v1) and
// the emails, tasks, notes, calls, meetings, communications and postal mail
// of the CRM object APIs — in
// and out of HubSpot without writing Go: export to JSON Lines, import with
// resume, log a note, list call dispositions, and serve a fake HubSpot for
// tests.
//
// The token comes from HUBSPOT_TOKEN (never a flag, which ps would show);
// --demo runs against a built-in fake HubSpot with sample data instead.
// --api-version v3|2026-03 (or HUBSPOT_API_VERSION) picks HubSpot's
// numbered or date-versioned APIs; --shared-limit redis://HOST:PORT[/DB]
// (or HUBSPOT_SHARED_LIMIT) shares the rate limit with other processes.
// Exit codes: 0 success, 1 API or network failure, 2 usage or validation
// error, 4 authentication refused (401 or 403), 130 interrupted (Ctrl-C),
// 143 terminated (SIGTERM).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/redis/go-redis/v9"
)

func main() {
	// go-redis prints its own connection errors through the standard log
	// package, around the tool's stderr (its lock, its redaction, a progress
	// line); --shared-limit's limiter already reports a failure once, with
	// the error, as a WARN line.
	redis.SetLogger(discardRedisLog{})
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-sigs:
			// A second signal ends the process at once, as shells expect.
			signal.Stop(sigs)
			cancel(signalError{s})
		case <-ctx.Done():
		}
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	cancel(nil)
	os.Exit(code)
}

// signalError is the cause of a run's context cancelled by a signal.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string { return "interrupted by " + e.sig.String() }

// discardRedisLog drops go-redis's own log lines.
type discardRedisLog struct{}

// Printf drops the line.
func (discardRedisLog) Printf(context.Context, string, ...any) {}
