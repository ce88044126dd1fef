package facade_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// Log a note on a contact, read it back, and list tasks: the main uses,
// here against the in-process fake HubSpot.
func Example() {
	srv := hubspottest.NewServer()
	defer srv.Close()
	srv.SeedTasks(250)

	c, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	note, err := c.Engagements.Create(ctx, facade.EngagementInput{
		Metadata:     &facade.NoteMetadata{Body: "Called; will send the quote on Monday."},
		Associations: facade.Associations{ContactIDs: []int64{5001}},
	})
	if err != nil {
		panic(err)
	}
	got, _ := c.Engagements.Get(ctx, note.ID())
	meta, _ := got.Metadata()
	fmt.Println(got.Type(), got.ID() > 1<<32, meta.(*facade.NoteMetadata).Body)

	n := 0
	for task, err := range c.Tasks.List(ctx, facade.ListParams{Limit: 100}).All() {
		if err != nil {
			panic(err)
		}
		_ = task.Subject()
		n++
	}
	fmt.Println("tasks:", n)
	// Output:
	// NOTE true Called; will send the quote on Monday.
	// tasks: 250
}

// Search tasks with filters; the pager follows HubSpot's pages (and reads
// past its 10,000-result cap when no sort is given).
func ExampleObjectService_Search() {
	srv := hubspottest.NewServer()
	defer srv.Close()
	c, _ := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL))
	ctx := context.Background()
	for i, status := range []string{"NOT_STARTED", "COMPLETED", "NOT_STARTED"} {
		_, err := c.Tasks.Create(ctx, facade.CreateInput{Properties: facade.Properties{
			facade.TaskSubjectProperty: fmt.Sprintf("Follow up %d", i),
			facade.TaskStatusProperty:  status,
		}})
		if err != nil {
			panic(err)
		}
	}
	open := c.Tasks.Search(ctx, facade.SearchParams{
		FilterGroups: []facade.FilterGroup{{Filters: []facade.Filter{
			{PropertyName: facade.TaskStatusProperty, Operator: facade.OpEQ, Value: "NOT_STARTED"},
		}}},
		Properties: []string{facade.TaskSubjectProperty, facade.TaskStatusProperty},
	})
	for task, err := range open.All() {
		if err != nil {
			panic(err)
		}
		fmt.Println(task.Subject(), task.Status())
	}
	// Output:
	// Follow up 0 NOT_STARTED
	// Follow up 2 NOT_STARTED
}

// Stop a listing, keep its cursor, and resume exactly there later.
func ExamplePager_Cursor() {
	srv := hubspottest.NewServer()
	defer srv.Close()
	srv.SeedEngagements("CALL", 7)
	c, _ := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL))
	ctx := context.Background()

	p := c.Engagements.List(ctx, facade.EngagementListParams{Limit: 3})
	read := 0
	for _, err := range p.All() {
		if err != nil {
			panic(err)
		}
		if read++; read == 4 {
			break // e.g. the process is told to stop
		}
	}
	cursor := p.Cursor() // save it anywhere: it is a plain string

	rest := 0
	for _, err := range c.Engagements.List(ctx, facade.EngagementListParams{Limit: 3, Cursor: cursor}).All() {
		if err != nil {
			panic(err)
		}
		rest++
	}
	fmt.Println(read, "then", rest)
	// Output: 4 then 3
}

// Errors from HubSpot are *facade.APIError; input HubSpot would refuse is a
// *facade.ValidationError, and nothing is sent.
func ExampleAPIError() {
	srv := hubspottest.NewServer()
	defer srv.Close()
	c, _ := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL))
	ctx := context.Background()

	_, err := c.Tasks.Get(ctx, "123", facade.GetParams{})
	var apiErr *facade.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Category, errors.Is(err, facade.ErrNotFound), apiErr.CorrelationID != "")
	}

	_, err = c.Engagements.Create(ctx, facade.EngagementInput{
		Metadata: &facade.NoteMetadata{Body: strings.Repeat("🙂", 40000)},
	})
	var invalid *facade.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println(invalid.Field, invalid.Limit, invalid.Actual)
	}
	fmt.Println("requests sent:", len(srv.Requests()))
	// Output:
	// 404 OBJECT_NOT_FOUND true true
	// metadata.body 65536 80000
	// requests sent: 1
}

// Create any number of tasks: the batch is split into requests of 100 that
// run concurrently under the rate limit, and results come in input order.
func ExampleObjectService_BatchCreate() {
	srv := hubspottest.NewServer()
	defer srv.Close()
	c, _ := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL))

	inputs := make([]facade.Properties, 250)
	for i := range inputs {
		inputs[i] = facade.Properties{facade.TaskSubjectProperty: fmt.Sprintf("Call lead %d", i)}
	}
	res, err := c.Tasks.BatchCreate(context.Background(), createInputs(inputs), facade.BatchCreateParams{})
	if err != nil {
		var batchErr *facade.BatchError
		if errors.As(err, &batchErr) {
			for _, f := range batchErr.Failures {
				fmt.Println("input", f.Index, "failed; may exist:", f.Uncertain(), f.Err)
			}
		}
		return
	}
	fmt.Println(len(res.Records), res.Records[249].Subject(), len(srv.Requests()))
	// Output: 250 Call lead 249 3
}
