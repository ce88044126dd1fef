package facade_test

import (
	"context"
	"fmt"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// Keep a copy of tasks and notes: every change since a time, with the
// checkpoint stored after each, then the changes since the checkpoint.
func ExampleClient_Changes() {
	srv := hubspottest.NewServer()
	defer srv.Close()
	srv.SeedTasks(250)
	c, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	checkpoint := "" // stored somewhere durable, next to the copy
	sync := func() (n int) {
		feed := c.Changes(ctx, facade.ChangesParams{
			Objects: []facade.ObjectType{facade.Tasks, facade.Notes},
			Since:   time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
			Cursor:  checkpoint,
		})
		for ch, err := range feed.All() {
			if err != nil {
				panic(err)
			}
			_ = ch.Record // the record as HubSpot sent it: store it by ch.ObjectType and ch.ID
			checkpoint = feed.Cursor()
			n++
		}
		checkpoint = feed.Cursor()
		return n
	}
	fmt.Println("first sync:", sync())
	tasks := srv.Tasks()
	if err := c.Tasks.Archive(ctx, tasks[0].ID); err != nil {
		panic(err)
	}
	fmt.Println("next sync:", sync())
	// Output:
	// first sync: 250
	// next sync: 1
}
