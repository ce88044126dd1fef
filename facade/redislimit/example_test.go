package redislimit_test

import (
	"context"
	"log"
	"log/slog"
	"os"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/facade/redislimit"
)

// Every process that uses the token shares one budget through Redis.
func ExampleFromURL() {
	ctx := context.Background()
	token := os.Getenv("HUBSPOT_TOKEN")
	lim, err := redislimit.FromURL(ctx, "redis://127.0.0.1:6379/0",
		redislimit.WithBudget(redislimit.TokenBudget(token)),
		redislimit.WithLogger(slog.Default()))
	if err != nil {
		log.Fatal(err) // an invalid URL or option; an unreachable Redis is not an error
	}
	defer lim.Close()
	c, err := facade.New(facade.WithToken(token), facade.WithLimiter(lim))
	if err != nil {
		log.Fatal(err)
	}
	for task, err := range c.Tasks.List(ctx, facade.ListParams{Limit: 100}).All() {
		if err != nil {
			log.Fatal(err)
		}
		_ = task
	}
}
