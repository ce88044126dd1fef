package facade

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// ErrNotOnThisVersion is returned, wrapped in a *ValidationError, by an
// operation HubSpot has only on later API versions than the Client's
// (Merge and GDPRDelete need API2026_09): nothing is sent.
var ErrNotOnThisVersion = errors.New("hubspot: HubSpot has no such operation on this API version")

// MergeInput names the two records Merge combines.
type MergeInput struct {
	// PrimaryID is the record that remains.
	PrimaryID string
	// MergedID is the record merged into it.
	MergedID string
}

// GDPRDeleteInput names the record GDPRDelete deletes.
type GDPRDeleteInput struct {
	// ID is the record's id, or its value of IDProperty.
	ID string
	// IDProperty, when set, is a property with unique values that ID is a
	// value of.
	IDProperty string
}

// since refuses an operation whose builder this wire lacks.
func (s *ObjectService[T]) since(op string, have bool) error {
	if have {
		return nil
	}
	return fmt.Errorf("%w: %w", &ValidationError{Field: "apiVersion", Problem: op + " needs API version 2026-09 or later", Actual: string(s.api.version)}, ErrNotOnThisVersion)
}

// Merge merges the record in.MergedID into in.PrimaryID
// (POST /crm/objects/2026-09/{type}/merge) and returns the record that
// remains. 2026-09 and later only: on older versions it fails with a
// *ValidationError wrapping ErrNotOnThisVersion before sending anything. A
// merge whose answer is lost is not repeated: it fails with an
// *UncertainError (read the primary record to see).
func (s *ObjectService[T]) Merge(ctx context.Context, in MergeInput) (T, error) {
	var zero T
	if err := s.since("Merge", s.api.merge != nil); err != nil {
		return zero, err
	}
	if err := validObjectID("PrimaryID", in.PrimaryID); err != nil {
		return zero, err
	}
	if err := validObjectID("MergedID", in.MergedID); err != nil {
		return zero, err
	}
	if in.PrimaryID == in.MergedID {
		return zero, &ValidationError{Field: "MergedID", Problem: "same record as PrimaryID", Actual: in.MergedID}
	}
	out, err := sendFor(ctx, s.c, s.op("merge", opUnsafe), func(server string) (*http.Request, error) {
		return s.api.merge(server, in.PrimaryID, in.MergedID)
	}, s.shapes().record)
	if err != nil {
		return zero, err
	}
	return s.wrap(out), nil
}

// GDPRDelete deletes a record permanently, as a GDPR request asks
// (POST /crm/objects/2026-09/{type}/gdpr-delete): unlike Archive it does
// not go to the recycling bin. 2026-09 and later only: on older versions
// it fails with a *ValidationError wrapping ErrNotOnThisVersion before
// sending anything. A delete whose answer is lost is not repeated: it
// fails with an *UncertainError.
func (s *ObjectService[T]) GDPRDelete(ctx context.Context, in GDPRDeleteInput) error {
	if err := s.since("GDPRDelete", s.api.gdprDelete != nil); err != nil {
		return err
	}
	if in.IDProperty == "" {
		if err := validObjectID("ID", in.ID); err != nil {
			return err
		}
	} else if err := requiredID("ID", in.ID); err != nil {
		return err
	}
	return s.c.send(ctx, s.op("gdpr-delete", opUnsafe), func(server string) (*http.Request, error) {
		return s.api.gdprDelete(server, in.ID, in.IDProperty)
	}, nil)
}
