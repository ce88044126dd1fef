package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/facade/redislimit"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// Exit codes.
const (
	exitOK          = 0
	exitAPI         = 1
	exitUsage       = 2
	exitAuth        = 4
	exitInterrupted = 130 // 128 + SIGINT
	exitTerminated  = 143 // 128 + SIGTERM
)

// exitCodesHelp documents the exit codes in --help (the README repeats it).
const exitCodesHelp = `Exit codes:
  0    success
  1    an API or network failure (or import lines that failed or may have
       been created)
  2    a usage or validation error: bad flags, bad input lines (refused by
       the checks before sending or by HubSpot), a state file that cannot
       be read, another import holding the results file
  4    HubSpot refused the token (401) or its scopes (403)
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM)`

// tokenVar is the environment variable the token is read from.
const tokenVar = "HUBSPOT_TOKEN"

// usageError is a mistake in the command line or its input: exit 2.
type usageError struct {
	msg string
	// usage, for a flag the command does not take or cannot read, is the
	// command's usage line, shown after the message.
	usage, path string
}

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{msg: fmt.Sprintf(format, a...)} }

// hooks let tests stop a command at chosen points. Nil hooks do nothing.
type hooks struct {
	// progress is called after each record an export writes, and after each
	// batch (or v1 line) whose outcome an import has written, with the count
	// so far.
	progress func(n int)
	// created is called after an import's batch (or v1 line) is created and
	// before its outcome is written.
	created func()
	// sharedLimiter, when set, replaces sharedLimiter: tests see the URL
	// and give a Limiter that counts what it paces.
	sharedLimiter func(ctx context.Context, url string) (facade.Limiter, error)
	// redisOptions are added to the real shared limiter's: tests lengthen
	// its 50 ms bound on Redis calls, which a loaded machine can exceed.
	redisOptions []redislimit.Option
}

// app is one run of the command: its streams, environment and client.
type app struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	hooks          hooks

	root        *cobra.Command // to tell a global flag given from its default
	baseURL     string
	apiVersion  string
	sharedLimit string
	demo        bool
	verbose     bool
	client      *facade.Client
	objects     map[string]crmObject // the client's object types, by --object value
	limiter     facade.Limiter       // the shared limiter, if any
	fake        *hubspottest.Server
	stats       *stats
	errMu       sync.Mutex // serialises writes to stderr (messages, progress)
	prog        *progress  // the progress line on stderr, if any; guarded by errMu
	now         func() time.Time
	tick        <-chan time.Time // tests: when progress lines are redrawn
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	return a.main(args)
}

// main runs the command line args and returns the exit code.
func (a *app) main(args []string) int {
	if a.now == nil {
		a.now = time.Now
	}
	root := a.rootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(a.ctx)
	if a.fake != nil {
		a.fake.Close()
	}
	if cl, ok := a.limiter.(io.Closer); ok {
		// A shared limiter may hold connections (to Redis); the requests
		// are over, so a failure to close changes nothing they did.
		_ = cl.Close()
	}
	if err == nil {
		return exitOK
	}
	code := a.exitCode(err)
	msg := oneLine(err)
	if code == exitAuth {
		msg = a.authMessage(err)
	}
	a.say("engagements: %s", msg)
	if ue := (usageError{}); errors.As(err, &ue) && ue.usage != "" {
		a.say("usage: %s\nrun '%s --help' for every flag", ue.usage, ue.path)
	}
	return code
}

// say writes one line to stderr, never in the middle of a progress line.
func (a *app) say(format string, args ...any) {
	a.errMu.Lock()
	defer a.errMu.Unlock()
	if a.prog != nil {
		a.prog.clear()
	}
	io.WriteString(a.stderr, a.redact(fmt.Sprintf(format+"\n", args...)))
}

// redact removes the token from text the tool writes: a server may quote
// the request's Authorization header back in an error page.
func (a *app) redact(s string) string {
	token := ""
	if a.getenv != nil {
		token = strings.TrimSpace(a.getenv(tokenVar))
	}
	if len(token) < 4 || a.demo {
		return s
	}
	return strings.ReplaceAll(s, token, "REDACTED")
}

// exitCode classifies an error (see exitCodesHelp).
func (a *app) exitCode(err error) int {
	var ue usageError
	var ve *facade.ValidationError
	var re runError
	switch {
	case authFailure(err) != nil:
		return exitAuth
	case a.ctx.Err() != nil:
		var sig signalError
		if errors.As(context.Cause(a.ctx), &sig) && sig.sig == syscall.SIGTERM {
			return exitTerminated
		}
		return exitInterrupted
	case errors.As(err, &ue), errors.As(err, &ve):
		return exitUsage
	case errors.As(err, &re):
		return exitAPI
	}
	return exitUsage // cobra's own errors: unknown command or flag, missing flag
}

// authFailure finds HubSpot's refusal of the token (401) or of its scopes
// (403) in err.
func authFailure(err error) *facade.APIError {
	var api *facade.APIError
	if errors.As(err, &api) && (api.StatusCode == http.StatusUnauthorized || api.StatusCode == http.StatusForbidden) {
		return api
	}
	return nil
}

// authMessage says which token was refused and what to do about it.
func (a *app) authMessage(err error) string {
	api := authFailure(err)
	source := "the token read from " + tokenVar
	if a.demo {
		source = "the demo token"
	}
	if api.StatusCode == http.StatusForbidden {
		return fmt.Sprintf("HubSpot refused %s (403): it lacks a scope this command needs; give the private app the scopes listed in the README's Troubleshooting section: %s", source, oneLine(err))
	}
	return fmt.Sprintf("HubSpot refused %s (401): set %s to a current private-app access token: %s", source, tokenVar, oneLine(err))
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

// versionLine is what --version and the version command print.
func versionLine() string {
	return fmt.Sprintf("engagements %s (%s, %s/%s)", facade.Version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "engagements",
		Short: "Move HubSpot sales activity (engagements, emails, tasks, notes, calls, meetings, communications, postal mail) in and out of HubSpot",
		Long: `engagements exports and imports HubSpot sales activity — v1 engagements
(emails, calls, meetings, tasks, notes) and the emails, tasks, notes, calls,
meetings, communications and postal mail of the CRM object APIs — logs notes, lists call dispositions,
and serves a fake HubSpot for tests.

Authentication: set HUBSPOT_TOKEN to a private-app access token. Or use --demo
to run against a built-in fake HubSpot with sample data (no account needed).

API version: --api-version v3 (the default) speaks HubSpot's numbered APIs
(/engagements/v1, /crm/v3); --api-version 2026-09 (HubSpot's Current
version; use it for new work) or 2026-03 speaks the date-versioned APIs
(/crm/objects/2026-09, /crm/objects/2026-03) that replace them in September
2027, for
engagements too (their records are the notes, calls, meetings, emails and
tasks of the object APIs, under the same ids): no request then goes to
/engagements/v1 or /crm/v3. Call dispositions keep /calling/v1 (HubSpot has
no dated endpoint for them). HUBSPOT_API_VERSION sets it too; the flag wins.

Shared rate limit: HubSpot's limit belongs to the app and the account, not
to a process. --shared-limit redis://HOST:PORT[/DB] (or HUBSPOT_SHARED_LIMIT)
counts this process's requests in one budget with every other process given
the same Redis, so that together they keep under it. When Redis does not
answer, requests are paced in this process (one warning on stderr) until it
does. --shared-limit "" turns off a HUBSPOT_SHARED_LIMIT.

--verbose (or HUBSPOT_DEBUG=1) logs every HTTP attempt to stderr: operation,
status, attempt, wait and rate-limit headers; never the token, a query or a
body.

` + exitCodesHelp,
		Version:       versionLine(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("{{.Version}}\n")
	a.root = root
	root.PersistentFlags().StringVar(&a.baseURL, "base-url", "", "HubSpot API base URL (default $HUBSPOT_BASE_URL or "+facade.DefaultBaseURL+")")
	root.PersistentFlags().StringVar(&a.apiVersion, "api-version", "", "HubSpot's API version: "+apiVersionChoices()+" (default $HUBSPOT_API_VERSION or "+string(facade.APIv3)+")")
	root.PersistentFlags().StringVar(&a.sharedLimit, "shared-limit", "", "share HubSpot's rate limit with other processes through Redis: redis://HOST:PORT[/DB] (default $"+sharedLimitVar+")")
	_ = root.RegisterFlagCompletionFunc("api-version", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return apiVersionNames(), cobra.ShellCompDirectiveNoFileComp
	})
	root.PersistentFlags().BoolVar(&a.demo, "demo", false, "run against a built-in fake HubSpot seeded with sample data")
	root.PersistentFlags().BoolVarP(&a.verbose, "verbose", "v", false, "log every HTTP attempt to stderr (also HUBSPOT_DEBUG=1)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{msg: err.Error(), usage: c.UseLine(), path: c.CommandPath()}
	})
	version := &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(a.stdout, versionLine())
			return err
		},
	}
	root.AddCommand(a.exportCmd(), a.importCmd(), a.noteCmd(), a.dispositionsCmd(), a.fakeCmd(), version)
	root.AddCommand(a.webhooksCmd())
	root.AddCommand(a.syncCmd())
	root.SetIn(a.stdin)
	root.SetOut(a.stdout) // before the completion command, which keeps it
	root.SetErr(a.stderr)
	root.InitDefaultCompletionCmd()
	// The client's flags do nothing for these (fake keeps its own limits
	// and serves every API version): keep them out of their help.
	for _, name := range []string{"fake", "completion", "version"} {
		if c, _, err := root.Find([]string{name}); err == nil && c != root {
			hideClientFlags(c)
		}
	}
	return root
}

// hideClientFlags leaves the client's global flags out of cmd's help (and
// the help of its subcommands).
func hideClientFlags(cmd *cobra.Command) {
	names := []string{"demo", "base-url", "verbose", "api-version", "shared-limit"}
	help := cmd.HelpFunc()
	cmd.SetHelpFunc(func(c *cobra.Command, args []string) {
		fs := c.Root().PersistentFlags()
		for _, n := range names {
			if f := fs.Lookup(n); f != nil {
				f.Hidden = true
				defer func() { f.Hidden = false }()
			}
		}
		help(c, args)
	})
}

// debug reports whether HTTP attempts are logged: --verbose or HUBSPOT_DEBUG.
func (a *app) debug() bool {
	if a.verbose {
		return true
	}
	v := strings.ToLower(strings.TrimSpace(a.getenv("HUBSPOT_DEBUG")))
	return v != "" && v != "0" && v != "false"
}

// setting is a global flag's value when it was given, else the
// environment variable's; source says which ("" when neither was set).
func (a *app) setting(flag, envVar string) (value, source string) {
	if f := a.root.PersistentFlags().Lookup(flag); f != nil && f.Changed {
		return f.Value.String(), "--" + flag
	}
	if v := strings.TrimSpace(a.getenv(envVar)); v != "" {
		return v, envVar
	}
	return "", ""
}

// apiVersionVar is the environment variable --api-version defaults to.
const apiVersionVar = "HUBSPOT_API_VERSION"

// apiVersionNames are the names of facade.APIVersions.
func apiVersionNames() []string {
	names := make([]string, len(facade.APIVersions))
	for i, v := range facade.APIVersions {
		names[i] = string(v)
	}
	return names
}

// apiVersionChoices is facade.APIVersions as prose: "v3 or 2026-03".
func apiVersionChoices() string { return orList(apiVersionNames()) }

// orList writes names as prose: "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// apiVersionSetting reads --api-version, else HUBSPOT_API_VERSION, else v3.
func (a *app) apiVersionSetting() (facade.APIVersion, error) {
	v, source := a.setting("api-version", apiVersionVar)
	if source == "" {
		return facade.APIv3, nil
	}
	for _, known := range facade.APIVersions {
		if v == string(known) {
			return known, nil
		}
	}
	if len(v) > 32 {
		v = v[:32] + "…"
	}
	return "", usagef("unknown API version %q (%s): use %s", v, source, apiVersionChoices())
}

// connect builds the client: against the demo fake, or HubSpot with the
// token from HUBSPOT_TOKEN, on the API version asked for, with the shared
// rate limit when one is asked for.
func (a *app) connect() error {
	version, err := a.apiVersionSetting()
	if err != nil {
		return err
	}
	limitURL, limitSource, err := a.sharedLimitSetting()
	if err != nil {
		return err
	}
	a.stats = newStats()
	opts := []facade.Option{facade.WithObserver(a.stats.observer()), facade.WithAPIVersion(version)}
	if a.debug() {
		opts = append(opts, facade.WithLogger(slog.New(slog.NewTextHandler(lockedWriter{a, a.stderr}, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	budget := "demo" // the built-in fake's own budget
	if !a.demo {
		token := a.getenv(tokenVar)
		if token == "" {
			return usagef("no HubSpot token: set %s to a private-app access token, or use --demo to try the built-in fake HubSpot", tokenVar)
		}
		base, source := a.setting("base-url", "HUBSPOT_BASE_URL")
		if base == "" {
			base = facade.DefaultBaseURL
		}
		if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usagef("base URL %q (%s) is not an http(s) URL", base, source)
		}
		opts = append(opts, facade.WithToken(token), facade.WithBaseURL(base))
		budget = redislimit.TokenBudget(token)
	}
	if limitURL != "" {
		newLimiter := func(ctx context.Context, u string) (facade.Limiter, error) {
			return sharedLimiter(ctx, u, budget, lockedWriter{a, a.stderr}, a.hooks.redisOptions...)
		}
		if a.hooks.sharedLimiter != nil {
			newLimiter = a.hooks.sharedLimiter
		}
		l, err := newLimiter(a.ctx, limitURL)
		if err != nil {
			return fmt.Errorf("%s: %w", limitSource, err)
		}
		a.limiter = l
		opts = append(opts, facade.WithLimiter(l))
	}
	if a.demo {
		// Last: nothing is printed for a run refused before.
		a.fake = hubspottest.NewServer(hubspottest.WithSeed(1))
		a.fake.SeedTasks(300)
		a.fake.SeedEmails(300)
		for _, t := range []string{"NOTE", "CALL", "EMAIL", "MEETING", "TASK"} {
			a.fake.SeedEngagements(t, 200)
		}
		a.say("demo mode: using a built-in fake HubSpot at %s seeded with sample data; no HubSpot account is used", a.fake.URL)
		opts = append(opts, facade.WithToken(a.fake.Token()), facade.WithBaseURL(a.fake.URL))
	}
	c, err := facade.New(opts...)
	if err != nil {
		return err
	}
	a.client, a.objects = c, crmObjects(c)
	return nil
}

// lockedWriter writes to w under the app's stderr lock, so that log records
// and other lines do not interleave, with the token redacted.
type lockedWriter struct {
	a *app
	w io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.a.errMu.Lock()
	defer l.a.errMu.Unlock()
	if _, err := io.WriteString(l.w, l.a.redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// maxTimeArg bounds a time argument; the longest valid one (RFC 3339 with
// nanoseconds and an offset) is 35 bytes.
const maxTimeArg = 64

// parseTime reads RFC 3339, a date (2006-01-02, UTC) or epoch milliseconds.
func parseTime(s string) (time.Time, error) {
	bad := usagef("cannot read time %q: use RFC 3339 (2025-01-31T12:00:00Z), a date (2025-01-31) or epoch milliseconds", s)
	if len(s) > maxTimeArg {
		return time.Time{}, usagef("cannot read time (%d bytes): use RFC 3339 (2025-01-31T12:00:00Z), a date (2025-01-31) or epoch milliseconds", len(s))
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		// HubSpot's times are epoch milliseconds between 1970 and 9999.
		if ms < 0 || ms > maxEpochMillis {
			return time.Time{}, bad
		}
		return time.UnixMilli(ms).UTC(), nil
	}
	return time.Time{}, bad
}

// maxEpochMillis is 9999-12-31T23:59:59.999Z.
const maxEpochMillis = 253402300799999
