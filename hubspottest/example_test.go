package hubspottest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// createFollowUp is code of yours under test: it creates a HubSpot task
// with plain net/http and returns its id.
func createFollowUp(baseURL, token, subject string) (string, error) {
	body, _ := json.Marshal(map[string]any{"properties": map[string]string{"hs_task_subject": subject, "hs_task_status": "NOT_STARTED"}})
	req, err := http.NewRequest("POST", baseURL+"/crm/v3/objects/tasks", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("HubSpot answered %s", resp.Status)
	}
	var task struct{ ID string }
	err = json.NewDecoder(resp.Body).Decode(&task)
	return task.ID, err
}

func Example() {
	srv := hubspottest.NewServer()
	defer srv.Close()

	id, err := createFollowUp(srv.URL, srv.Token(), "Call Ann back")
	if err != nil {
		fmt.Println(err)
		return
	}
	task, _ := srv.Task(id)
	fmt.Println(task.Prop("hs_task_subject"), task.Prop("hs_task_status"))
	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Path, r.Status)
	}

	_, err = createFollowUp(srv.URL, "wrong-token", "Nope")
	fmt.Println(err)
	// Output:
	// Call Ann back NOT_STARTED
	// POST /crm/v3/objects/tasks 201
	// HubSpot answered 401 Unauthorized
}
