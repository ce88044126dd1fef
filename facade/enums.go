package facade

import (
	"fmt"
	"slices"
	"sort"

	"github.com/engagekit/hubspot-engagements/internal/props"
)

// TaskStatus is a value of hs_task_status (and of v1 TASK metadata.status).
type TaskStatus string

// The task statuses HubSpot knows.
const (
	TaskNotStarted TaskStatus = "NOT_STARTED"
	TaskInProgress TaskStatus = "IN_PROGRESS"
	TaskWaiting    TaskStatus = "WAITING"
	TaskCompleted  TaskStatus = "COMPLETED"
	TaskDeferred   TaskStatus = "DEFERRED"
)

// TaskPriority is a value of hs_task_priority (and of v1 TASK
// metadata.priority).
type TaskPriority string

// The task priorities HubSpot knows.
const (
	PriorityNone   TaskPriority = "NONE"
	PriorityLow    TaskPriority = "LOW"
	PriorityMedium TaskPriority = "MEDIUM"
	PriorityHigh   TaskPriority = "HIGH"
)

// TaskType is a value of hs_task_type (and of v1 TASK metadata.taskType).
type TaskType string

// The task types HubSpot knows.
const (
	TaskTypeTodo            TaskType = "TODO"
	TaskTypeCall            TaskType = "CALL"
	TaskTypeEmail           TaskType = "EMAIL"
	TaskTypeLinkedInConnect TaskType = "LINKED_IN_CONNECT"
	TaskTypeLinkedInMessage TaskType = "LINKED_IN_MESSAGE"
)

// EmailDirection is a value of hs_email_direction.
type EmailDirection string

// The email directions HubSpot knows.
const (
	// EmailOutgoing is an email sent from the CRM (HubSpot's value is EMAIL).
	EmailOutgoing  EmailDirection = "EMAIL"
	EmailIncoming  EmailDirection = "INCOMING_EMAIL"
	EmailForwarded EmailDirection = "FORWARDED_EMAIL"
)

// EmailStatus is a value of hs_email_status (and of v1 EMAIL
// metadata.status).
type EmailStatus string

// The email send statuses HubSpot knows.
const (
	EmailBounced   EmailStatus = "BOUNCED"
	EmailFailed    EmailStatus = "FAILED"
	EmailScheduled EmailStatus = "SCHEDULED"
	EmailSending   EmailStatus = "SENDING"
	EmailSent      EmailStatus = "SENT"
)

// CallStatus is a value of hs_call_status (and of v1 CALL metadata.status).
type CallStatus string

// The call statuses HubSpot knows.
const (
	CallBusy           CallStatus = "BUSY"
	CallCallingCRMUser CallStatus = "CALLING_CRM_USER"
	CallCanceled       CallStatus = "CANCELED"
	CallCompleted      CallStatus = "COMPLETED"
	CallConnecting     CallStatus = "CONNECTING"
	CallFailed         CallStatus = "FAILED"
	CallInProgress     CallStatus = "IN_PROGRESS"
	CallNoAnswer       CallStatus = "NO_ANSWER"
	CallQueued         CallStatus = "QUEUED"
	CallRinging        CallStatus = "RINGING"
)

// CallDirection is a value of hs_call_direction.
type CallDirection string

// The call directions HubSpot knows.
const (
	CallInbound  CallDirection = "INBOUND"
	CallOutbound CallDirection = "OUTBOUND"
)

// MeetingOutcome is a value of hs_meeting_outcome.
type MeetingOutcome string

// The meeting outcomes HubSpot knows.
const (
	MeetingScheduled   MeetingOutcome = "SCHEDULED"
	MeetingCompleted   MeetingOutcome = "COMPLETED"
	MeetingRescheduled MeetingOutcome = "RESCHEDULED"
	MeetingNoShow      MeetingOutcome = "NO_SHOW"
	MeetingCanceled    MeetingOutcome = "CANCELED"
)

// CommunicationChannel is a communication's hs_communication_channel_type.
type CommunicationChannel string

// The channels HubSpot's communications API logs.
const (
	ChannelSMS             CommunicationChannel = "SMS"
	ChannelWhatsApp        CommunicationChannel = "WHATS_APP"
	ChannelLinkedInMessage CommunicationChannel = "LINKEDIN_MESSAGE"
)

// CommunicationLoggedFrom is a communication's hs_communication_logged_from.
type CommunicationLoggedFrom string

// LoggedFromCRM is the value a message logged through the API must carry.
const LoggedFromCRM CommunicationLoggedFrom = "CRM"

func enumStrings[E ~string](vs []E) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// validateProps refuses what HubSpot would refuse of the properties it
// defines for objectType, as internal/props lists them: a value of an
// enumerated property that is not one of its values ("" clears a property
// and is always allowed), and a value longer than its property's maximum
// (hs_note_body: MaxNoteBody UTF-16 code units). Every create, update,
// batch and upsert of every wire passes here before a request is built.
func validateProps(objectType, field string, ps Properties) error {
	for _, p := range props.Checked(objectType) {
		if v, ok := ps[p.Name]; ok {
			if err := checkValue(field+"."+p.Name, p, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkValue refuses a value of p that HubSpot would refuse: longer than
// its maximum, or not one of an enumeration's values ("" clears a property
// and is always allowed).
func checkValue(field string, p props.Property, v string) error {
	if v == "" {
		return nil
	}
	if p.MaxLength > 0 {
		if n := props.UTF16Len(v); n > p.MaxLength {
			return &ValidationError{Field: field, Problem: "too long (UTF-16 code units)", Limit: p.MaxLength, Actual: n}
		}
	}
	if p.Type == props.Enumeration && !slices.Contains(p.Options, v) {
		return &ValidationError{Field: field, Problem: "not one of the property's values", Actual: v, Allowed: p.Options}
	}
	return nil
}

// checkField checks a v1 metadata field as the object property that holds
// it (internal/props): the same limits on both APIs.
func checkField(field string, objectType ObjectType, property, v string) error {
	p, _ := props.Find(string(objectType), property)
	return checkValue(field, p, v)
}

// checkEnum refuses a value of a typed enumeration that is not one of
// its constants ("" is allowed: not set).
func checkEnum[E ~string](field string, v E, allowed ...E) error {
	if v == "" || slices.Contains(allowed, v) {
		return nil
	}
	all := enumStrings(allowed)
	sort.Strings(all)
	return &ValidationError{Field: field, Problem: fmt.Sprintf("not a %T", v), Actual: string(v), Allowed: all}
}
