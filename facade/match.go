package facade

// matchCreated pairs each input with the result created from it: HubSpot
// does not promise that results come in input order, so a result goes to the
// first unpaired input whose properties it carries with the same values;
// results that match no input that way are paired in order with the rest
// (HubSpot lists a batch's results in reverse order too). It returns, for
// each input, the index of its result.
func matchCreated(inputs []Properties, results []Object) []int {
	of := make([]int, len(inputs))
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
