package facade

// matchCreated pairs each input with the result created from it: HubSpot
// does not promise that results come in input order, so a result goes to the
// first unpaired input whose properties it carries with the same values;
// results that match no input that way are paired in order with the rest.
// It returns, for each input, the index of its result.
//
// When each result carries its own input's properties where they stand in
// compact JSON (rawCarries), the pairing is the order itself, found without
// parsing a record's properties. Otherwise each result's properties are
// parsed once (HubSpot lists a batch's results in reverse order too).
func matchCreated(inputs []Properties, results []Object) []int {
	of := make([]int, len(inputs))
	if len(results) == len(inputs) && inOrder(inputs, results) {
		for i := range of {
			of[i] = i
		}
		return of
	}
	for i := range of {
		of[i] = -1
	}
	used := make([]bool, len(results))
	for r, o := range results {
		for i, in := range inputs {
			if of[i] < 0 && carries(o, in) {
				of[i], used[r] = r, true
				break
			}
		}
	}
	r := 0
	for i := range of {
		if of[i] >= 0 {
			continue
		}
		for used[r] {
			r++
		}
		of[i], used[r] = r, true
	}
	return of
}

// inOrder reports whether results[i] carries inputs[i] for every i, as
// seen in the bytes of its properties. When it does, matchCreated's loop
// would pair result i with input i for every i (the inputs before i are
// paired by then), so the shortcut gives the loop's answer.
func inOrder(inputs []Properties, results []Object) bool {
	for i, in := range inputs {
		if !rawCarries(results[i].v.Properties, in) {
			return false
		}
	}
	return true
}

// carries reports whether the record o holds every property of in with
// the same value.
func carries(o Object, in Properties) bool {
	props := o.properties()
	for k, v := range in {
		if p, ok := props[k]; !ok || p == nil || *p != v {
			return false
		}
	}
	return true
}
