package facade

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// maxReconcileRounds bounds how often BatchCreate with a unique property
// checks and retries inputs whose outcome was unknown.
const maxReconcileRounds = 5

// createUnique is BatchCreate with a unique property: it creates, then
// settles every input whose outcome was unknown.
func (s *ObjectService[T]) createUnique(ctx context.Context, idProperty string, inputs []CreateInput) (*BatchResult[T], error) {
	keys, err := uniqueKeys(idProperty, inputs)
	if err != nil {
		return nil, err
	}
	res, err := s.create(ctx, inputs)
	if res == nil {
		return res, err
	}
	var names []string
	for k := range inputs[0].Properties {
		names = append(names, k)
	}
	for round := 0; round < maxReconcileRounds && ctx.Err() == nil; round++ {
		var unsure []int
		for _, f := range res.Failures {
			if f.Uncertain() {
				unsure = append(unsure, f.Index)
			}
		}
		if len(unsure) == 0 {
			break
		}
		settled, err := s.settle(ctx, idProperty, names, keys, inputs, unsure, res)
		if err != nil {
			out, _ := finish(res, len(inputs))
			return out, err
		}
		kept := res.Failures[:0]
		for _, f := range res.Failures {
			if e, ok := settled[f.Index]; ok {
				if e == nil {
					continue
				}
				f.Err = e
			}
			kept = append(kept, f)
		}
		res.Failures = kept
	}
	return finish(res, len(inputs))
}

// uniqueKeys checks that every input carries a distinct value of
// idProperty, and returns the values.
func uniqueKeys(idProperty string, inputs []CreateInput) ([]string, error) {
	keys := make([]string, len(inputs))
	seen := make(map[string]int, len(inputs))
	for i, in := range inputs {
		k := in.Properties[idProperty]
		if k == "" {
			return nil, &ValidationError{Field: fmt.Sprintf("inputs[%d].properties.%s", i, idProperty), Problem: "required: it identifies the input"}
		}
		if j, dup := seen[k]; dup {
			return nil, &ValidationError{Field: fmt.Sprintf("inputs[%d].properties.%s", i, idProperty), Problem: fmt.Sprintf("same value as inputs[%d]", j), Actual: k}
		}
		keys[i], seen[k] = k, i
	}
	return keys, nil
}

// settle looks the uncertain inputs up by their unique value and creates
// the provably absent ones again. It returns each settled input's new
// outcome (nil: created, with res.Records filled), or the error that stops
// the reconciliation: HubSpot refusing the lookup or the re-create as a
// whole.
func (s *ObjectService[T]) settle(ctx context.Context, idProperty string, names, keys []string, inputs []CreateInput, unsure []int, res *BatchResult[T]) (map[int]error, error) {
	lookup := make([]string, len(unsure))
	for k, i := range unsure {
		lookup[k] = keys[i]
	}
	found, err := s.BatchRead(ctx, lookup, BatchReadParams{IDProperty: idProperty, Properties: names})
	if found == nil {
		return nil, fmt.Errorf("hubspot: looking up uncertain inputs by %s: %w", idProperty, err)
	}
	absent, unread := map[int]bool{}, map[int]bool{}
	for _, f := range found.Failures {
		var api *APIError
		if errors.As(f.Err, &api) {
			if api.StatusCode == http.StatusMultiStatus && api.Category == "OBJECT_NOT_FOUND" {
				absent[f.Index] = true
			} else if refused(api) {
				return nil, fmt.Errorf("hubspot: HubSpot refused the lookup of uncertain inputs by %s: %w", idProperty, api)
			}
		}
		unread[f.Index] = true
	}
	settled := map[int]error{}
	var again []CreateInput
	var againAt []int
	for k, i := range unsure {
		switch {
		case absent[k]:
			again, againAt = append(again, inputs[i]), append(againAt, i)
		case !unread[k]:
			res.Records[i], settled[i] = found.Records[k], nil
		}
	}
	if len(again) == 0 {
		return settled, nil
	}
	retry, err := s.create(ctx, again)
	if retry == nil {
		return nil, fmt.Errorf("hubspot: creating absent inputs again: %w", err)
	}
	failed := map[int]error{}
	for _, f := range retry.Failures {
		failed[f.Index] = f.Err
	}
	for k, i := range againAt {
		if e := failed[k]; e != nil {
			settled[i] = withInputs(e, i)
		} else {
			res.Records[i], settled[i] = retry.Records[k], nil
		}
	}
	return settled, nil
}

// refused reports an answer that asking again will not change: a 4xx other
// than a rate limit or a per-input (207) error.
func refused(e *APIError) bool {
	return e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusTooManyRequests
}
