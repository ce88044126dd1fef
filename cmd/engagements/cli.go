package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// Exit codes.
const (
	exitOK    = 0
	exitAPI   = 1
	exitUsage = 2
)

// usageError is a mistake in the command line or its input: exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// app is one run of the command: its streams, environment and client.
type app struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string

	baseURL string
	demo    bool
	client  *facade.Client
	fake    *hubspottest.Server
	waits   *waitCounter
	now     func() time.Time
}

// testHook, when set by tests, is called after each record an export writes
// and after each chunk an import finishes, with the count so far.
var testHook func(n int)

// createHook, when set by tests, is called after an import's chunk is
// created and before its outcome is written.
var createHook func()

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, now: time.Now}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if a.fake != nil {
		a.fake.Close()
	}
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	fmt.Fprintln(stderr, "engagements: "+oneLine(err))
	return code
}

// exitCode classifies an error: usage and validation errors are 2, the rest 1.
func exitCode(err error) int {
	var ue usageError
	var ve *facade.ValidationError
	var re runError
	switch {
	case errors.As(err, &ue), errors.As(err, &ve):
		return exitUsage
	case errors.As(err, &re):
		return exitAPI
	}
	return exitUsage // cobra's own errors: unknown command or flag, missing flag
}

// runError marks an error that happened while a command ran (not while its
// command line was parsed).
type runError struct{ err error }

func (e runError) Error() string { return e.err.Error() }
func (e runError) Unwrap() error { return e.err }

func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	var api *facade.APIError
	if errors.As(err, &api) && api.CorrelationID != "" && !strings.Contains(s, api.CorrelationID) {
		s += " (correlation id " + api.CorrelationID + ")"
	}
	return s
}

// wrapRun marks the errors of a command's work so exitCode can tell them
// from command-line mistakes.
func wrapRun(f func(cmd *cobra.Command, args []string) error) func(cmd *cobra.Command, args []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := f(cmd, args)
		var ue usageError
		var ve *facade.ValidationError
		if err == nil || errors.As(err, &ue) || errors.As(err, &ve) {
			return err
		}
		return runError{err}
	}
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "engagements",
		Short: "Move HubSpot sales activity (engagements, emails, tasks) in and out of HubSpot",
		Long: `engagements exports and imports HubSpot sales activity — v1 engagements
(emails, calls, meetings, tasks, notes) and v3 emails and tasks — logs notes,
lists call dispositions, and serves a fake HubSpot for tests.

Authentication: set HUBSPOT_TOKEN to a private-app access token. Or use --demo
to run against a built-in fake HubSpot with sample data (no account needed).

Exit codes: 0 success, 1 API or network failure, 2 usage or validation error.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&a.baseURL, "base-url", "", "HubSpot API base URL (default $HUBSPOT_BASE_URL or "+facade.DefaultBaseURL+")")
	root.PersistentFlags().BoolVar(&a.demo, "demo", false, "run against a built-in fake HubSpot seeded with sample data")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	root.AddCommand(a.exportCmd(), a.importCmd(), a.noteCmd(), a.dispositionsCmd(), a.fakeCmd())
	return root
}

// connect builds the client: against the demo fake, or HubSpot with the
// token from HUBSPOT_TOKEN.
func (a *app) connect() error {
	a.waits = &waitCounter{}
	opts := []facade.Option{facade.WithLogger(a.waits.logger())}
	if a.demo {
		a.fake = hubspottest.NewServer(hubspottest.WithSeed(1))
		a.fake.SeedTasks(300)
		a.fake.SeedEmails(300)
		for _, t := range []string{"NOTE", "CALL", "EMAIL", "MEETING", "TASK"} {
			a.fake.SeedEngagements(t, 200)
		}
		fmt.Fprintf(a.stderr, "demo mode: using a built-in fake HubSpot at %s seeded with sample data; no HubSpot account is used\n", a.fake.URL)
		opts = append(opts, facade.WithToken(a.fake.Token()), facade.WithBaseURL(a.fake.URL))
	} else {
		token := a.getenv("HUBSPOT_TOKEN")
		if token == "" {
			return usagef("no HubSpot token: set HUBSPOT_TOKEN to a private-app access token, or use --demo to try the built-in fake HubSpot")
		}
		base := a.baseURL
		if base == "" {
			base = a.getenv("HUBSPOT_BASE_URL")
		}
		if base == "" {
			base = facade.DefaultBaseURL
		}
		if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("base URL %q (--base-url or HUBSPOT_BASE_URL) is not an http(s) URL", base)
		}
		opts = append(opts, facade.WithToken(token), facade.WithBaseURL(base))
	}
	c, err := facade.New(opts...)
	if err != nil {
		return err
	}
	a.client = c
	return nil
}

// parseTime reads RFC 3339, a date (2006-01-02, UTC) or epoch milliseconds.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), nil
	}
	return time.Time{}, usagef("cannot read time %q: use RFC 3339 (2025-01-31T12:00:00Z), a date (2025-01-31) or epoch milliseconds", s)
}

func checkObject(object string) error {
	switch object {
	case "engagements", "emails", "tasks":
		return nil
	case "":
		return usagef("--object is required: engagements, emails or tasks")
	}
	return usagef("unknown --object %q: use engagements, emails or tasks", object)
}

// isTerminal reports whether w is a terminal (for progress lines).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
