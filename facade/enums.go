package facade

import (
	"fmt"
	"slices"
	"sort"
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

// enumeration is the values an enumerated property of HubSpot's takes.
type enumeration struct {
	property string
	values   []string
}

func enumStrings[E ~string](vs []E) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// enumerations are HubSpot's enumerated properties, by object type: a
// value outside them is refused before anything is sent.
var enumerations = map[string][]enumeration{
	"tasks": {
		{TaskStatusProperty, enumStrings([]TaskStatus{TaskNotStarted, TaskInProgress, TaskWaiting, TaskCompleted, TaskDeferred})},
		{TaskPriorityProperty, enumStrings([]TaskPriority{PriorityNone, PriorityLow, PriorityMedium, PriorityHigh})},
		{TaskTypeProperty, enumStrings([]TaskType{TaskTypeTodo, TaskTypeCall, TaskTypeEmail, TaskTypeLinkedInConnect, TaskTypeLinkedInMessage})},
	},
	"emails": {
		{EmailDirectionProperty, enumStrings([]EmailDirection{EmailOutgoing, EmailIncoming, EmailForwarded})},
		{EmailStatusProperty, enumStrings([]EmailStatus{EmailBounced, EmailFailed, EmailScheduled, EmailSending, EmailSent})},
	},
	"calls": {
		{CallStatusProperty, enumStrings([]CallStatus{CallBusy, CallCallingCRMUser, CallCanceled, CallCompleted, CallConnecting, CallFailed, CallInProgress, CallNoAnswer, CallQueued, CallRinging})},
		{CallDirectionProperty, enumStrings([]CallDirection{CallInbound, CallOutbound})},
	},
	"meetings": {
		{MeetingOutcomeProperty, enumStrings([]MeetingOutcome{MeetingScheduled, MeetingCompleted, MeetingRescheduled, MeetingNoShow, MeetingCanceled})},
	},
}

// validateEnums refuses a value of an enumerated property that is not one
// of its values ("" clears a property and is always allowed).
func validateEnums(objectType, field string, props Properties) error {
	for _, e := range enumerations[objectType] {
		v, ok := props[e.property]
		if !ok || v == "" || slices.Contains(e.values, v) {
			continue
		}
		return &ValidationError{Field: field + "." + e.property, Problem: "not one of the property's values", Actual: v, Allowed: e.values}
	}
	return nil
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
