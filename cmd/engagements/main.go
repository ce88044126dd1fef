// Command engagements moves HubSpot sales activity — engagements (v1),
// emails and tasks (v3) — in and out of HubSpot without writing Go: export
// to JSON Lines, import with resume, log a note, list call dispositions, and
// serve a fake HubSpot for tests.
//
// The token comes from HUBSPOT_TOKEN (never a flag, which ps would show);
// --demo runs against a built-in fake HubSpot with sample data instead.
// Exit codes: 0 success, 1 API or network failure, 2 usage or validation
// error.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
