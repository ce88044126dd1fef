package facade

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestMatchCreatedPairsResultsWithTheirInputs(t *testing.T) {
	inputs := []Properties{
		{"hs_task_subject": "lead 1", "hs_task_status": "NOT_STARTED"},
		{"hs_task_subject": "lead 10", "hs_task_status": "NOT_STARTED"},
		{"hs_task_subject": "a/b <c>", "hs_task_status": "NOT_STARTED"},
		{"hs_task_subject": "say 'hi' & bye", "hs_task_status": "NOT_STARTED"},
	}
	tests := []struct {
		name    string
		results []string // records as the answer lists them
		want    []int    // for each input, the index of its result
	}{
		{"in order", []string{
			`{"id":"1","properties":{"hs_object_id":"1","hs_task_status":"NOT_STARTED","hs_task_subject":"lead 1"}}`,
			`{"id":"2","properties":{"hs_object_id":"2","hs_task_status":"NOT_STARTED","hs_task_subject":"lead 10"}}`,
			`{"id":"3","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"a/b <c>"}}`,
			`{"id":"4","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"say 'hi' & bye"}}`,
		}, []int{0, 1, 2, 3}},
		{"reversed, spaced and escaped", []string{
			`{"id":"4","properties":{"hs_task_status": "NOT_STARTED", "hs_task_subject": "say 'hi' \u0026 bye"}}`,
			`{"id":"3","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"a\/b \u003cc\u003e"}}`,
			`{"id":"2","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"lead 10"}}`,
			`{"id":"1","properties":{"hs_task_subject":"lead 1","hs_task_status":"NOT_STARTED"}}`,
		}, []int{3, 2, 1, 0}},
		{"a prefix of another value is not it", []string{
			`{"id":"2","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"lead 10"}}`,
			`{"id":"1","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"lead 1"}}`,
			`{"id":"4","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"say 'hi' & bye"}}`,
			`{"id":"3","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"a/b <c>"}}`,
		}, []int{1, 0, 3, 2}},
		{"the pair inside a longer key or a value is not it", []string{
			`{"id":"9","properties":{"x_hs_task_subject":"lead 1","note":"\"hs_task_subject\":\"lead 1\"","hs_task_status":"NOT_STARTED","hs_task_subject":"lead 10"}}`,
			`{"id":"1","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"lead 1"}}`,
			`{"id":"4","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"say 'hi' & bye"}}`,
			`{"id":"3","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"a/b <c>"}}`,
		}, []int{1, 0, 3, 2}},
		{"the first in place, the others not", []string{
			`{"id":"1","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"lead 1"}}`,
			`{"id":"3","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"a/b <c>"}}`,
			`{"id":"2","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"lead 10"}}`,
			`{"id":"4","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"say 'hi' & bye"}}`,
		}, []int{0, 2, 1, 3}},
		{"unmatched results go in order to the rest", []string{
			`{"id":"7","properties":{}}`,
			`{"id":"2","properties":{"hs_task_status":"NOT_STARTED","hs_task_subject":"lead 10"}}`,
			`{"id":"8","properties":null}`,
			`{"id":"9"}`,
		}, []int{0, 1, 2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results := make([]Object, len(tt.results))
			for i, r := range tt.results {
				if err := json.Unmarshal([]byte(r), &results[i]); err != nil {
					t.Fatalf("%s: %v", r, err)
				}
			}
			if got := matchCreated(inputs, results); !slices.Equal(got, tt.want) {
				t.Errorf("matchCreated = %v, want %v", got, tt.want)
			}
		})
	}
}
