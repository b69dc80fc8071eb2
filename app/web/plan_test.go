package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestPlanScenarios: who reads and changes which company's plan, through
// the page, its forms and the API. Erin (external editor of Globex) reads
// Globex's plan only, comments and updates the status, never the title or
// the budget; Victor (viewer) reads without write controls; Oscar (no plan
// module) gets 403; Ada reads both companies and writes; an item of
// another tenant is 404.
func TestPlanScenarios(t *testing.T) {
	e := newEnv(t, nil)
	const host = "acme.localhost"
	ada := e.client(host).mustLogin("ada@acme.test", "demo-pass-1")
	erin := e.client(host).mustLogin("erin@globex.test", "demo-pass-1")
	victor := e.client(host).mustLogin("victor@globex.test", "demo-pass-1")
	oscar := e.client(host).mustLogin("oscar@initech.test", "demo-pass-1")
	globex, initech := companyID(t, e, "acme", "Globex Corporation"), companyID(t, e, "acme", "Initech")
	mfa := lookupID(t, e, "plan_item", "acme", "Roll out MFA")
	initechItem := lookupID(t, e, "plan_item", "acme", "Managed print rollout")
	itemURL := func(id int64) string { return "/api/v1/plan/items/" + strconv.FormatInt(id, 10) }
	planOf := func(id int64) string { return "/plan?company_id=" + strconv.FormatInt(id, 10) }

	// Erin: Globex's plan with its sections, budget and comment; her controls.
	r := erin.get("/plan")
	if r.status != 200 {
		t.Fatalf("erin /plan: %d", r.status)
	}
	for _, want := range []string{"Goals", "Roadmap", "QBR history", "Every employee on MFA by year end", "Roll out MFA", "2026-Q4",
		"$4,000", "$12,500", "Ken Thompson", "Globex Q3 QBR", "Finance is ready", "Update status", `name="body"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("erin's plan lacks %q", want)
		}
	}
	for _, not := range []string{"Managed print rollout", "Add goal or initiative", `name="title"`, "Delete"} {
		if strings.Contains(r.body, not) {
			t.Errorf("erin's plan shows %q", not)
		}
	}
	if r := erin.get(planOf(initech)); r.status != 404 {
		t.Errorf("erin opens Initech's plan: %d", r.status)
	}
	if r := erin.api("GET", "/api/v1/plan?company_id="+strconv.FormatInt(initech, 10), nil); r.status != 404 {
		t.Errorf("erin reads Initech's plan by API: %d", r.status)
	}
	if r := erin.api("GET", itemURL(initechItem), nil); r.status != 404 {
		t.Errorf("erin reads an Initech item: %d", r.status)
	}
	if r := erin.api("PATCH", itemURL(initechItem), map[string]any{"status": "done"}); r.status != 404 {
		t.Errorf("erin sets an Initech item's status: %d", r.status)
	}
	if r := erin.api("POST", itemURL(initechItem)+"/comments", map[string]any{"body": "hi"}); r.status != 404 {
		t.Errorf("erin comments on an Initech item: %d", r.status)
	}
	// Status and comments yes; title, budget, owner, creating and deleting no.
	if r := erin.api("PATCH", itemURL(mfa), map[string]any{"status": "on_hold"}); r.status != 200 || r.json(t)["status"] != "on_hold" {
		t.Errorf("erin sets the status: %d %s", r.status, r.body)
	}
	for _, body := range []map[string]any{{"title": "Mine"}, {"budget_estimate": 1}, {"owner_id": 0}, {"status": "done", "quarter": "2027-Q4"}} {
		if r := erin.api("PATCH", itemURL(mfa), body); r.status != 403 {
			t.Errorf("erin PATCH %v: %d %s", body, r.status, r.body)
		}
	}
	if r := erin.api("POST", "/api/v1/plan/items", map[string]any{"company_id": globex, "kind": "goal", "title": "x"}); r.status != 403 {
		t.Errorf("erin creates: %d", r.status)
	}
	if r := erin.api("DELETE", itemURL(mfa), nil); r.status != 403 {
		t.Errorf("erin deletes: %d", r.status)
	}
	if r := erin.api("POST", itemURL(mfa)+"/comments", map[string]any{"body": "Keys arrived."}); r.status != 201 {
		t.Errorf("erin comments: %d %s", r.status, r.body)
	}
	// Through the page's forms, with htmx.
	mfaPath := "/plan/items/" + strconv.FormatInt(mfa, 10)
	if r := erin.htmx("POST", mfaPath+"/status", url.Values{"status": {"in_progress"}}); r.status != 200 ||
		!strings.HasPrefix(r.body, `<article class="card plan-item stack" id="plan-item-`) || !strings.Contains(r.body, "badge-plan-in-progress") {
		t.Errorf("erin's status form: %d %s", r.status, r.body)
	}
	if r := erin.form(mfaPath+"/status", url.Values{"status": {"done"}, "_csrf": {formCSRF(t, erin.get("/plan").body)}}); r.status != 303 ||
		r.header.Get("Location") != planOf(globex)+"#plan-item-"+strconv.FormatInt(mfa, 10) {
		t.Errorf("erin's status form without htmx: %d %v", r.status, r.header)
	}
	if r := erin.htmx("POST", mfaPath+"/status", url.Values{"status": {"cancelled"}}); r.status != 400 || !strings.Contains(r.body, "Choose a status from the list.") {
		t.Errorf("erin's bad status: %d %s", r.status, r.body)
	}
	if r := erin.htmx("POST", mfaPath+"/comments", url.Values{"body": {"  "}}); r.status != 400 || !strings.Contains(r.body, "Write a comment.") {
		t.Errorf("erin's empty comment: %d %s", r.status, r.body)
	}
	if r := erin.htmx("POST", mfaPath, url.Values{"title": {"Mine"}}); r.status != 403 {
		t.Errorf("erin's edit form: %d", r.status)
	}

	// Victor reads, with no write controls, and writes nothing.
	r = victor.get("/plan")
	if r.status != 200 || !strings.Contains(r.body, "Roll out MFA") || !strings.Contains(r.body, "Keys arrived.") {
		t.Errorf("victor /plan: %d", r.status)
	}
	for _, not := range []string{"Update status", `name="body"`, `name="title"`, "Add goal or initiative"} {
		if strings.Contains(r.body, not) {
			t.Errorf("victor's plan shows %q", not)
		}
	}
	if r := victor.api("PATCH", itemURL(mfa), map[string]any{"status": "done"}); r.status != 403 {
		t.Errorf("victor sets status: %d", r.status)
	}
	if r := victor.api("POST", itemURL(mfa)+"/comments", map[string]any{"body": "x"}); r.status != 403 {
		t.Errorf("victor comments: %d", r.status)
	}
	if r := victor.htmx("POST", "/plan/items/"+strconv.FormatInt(mfa, 10)+"/status", url.Values{"status": {"done"}}); r.status != 403 {
		t.Errorf("victor's status form: %d", r.status)
	}

	// Oscar has no plan module.
	if r := oscar.get("/plan"); r.status != 403 {
		t.Errorf("oscar /plan: %d", r.status)
	}
	if r := oscar.api("GET", "/api/v1/plan", nil); r.status != 403 {
		t.Errorf("oscar API: %d", r.status)
	}

	// Ada: both companies, the picker, and every write.
	r = ada.get("/plan")
	if r.status != 200 || !strings.Contains(r.body, `id="plan-company"`) || !strings.Contains(r.body, "Add goal or initiative") {
		t.Errorf("ada /plan: %d", r.status)
	}
	if r := ada.get(planOf(initech)); r.status != 200 || !strings.Contains(r.body, "Managed print rollout") {
		t.Errorf("ada opens Initech's plan: %d", r.status)
	}
	created := ada.api("POST", "/api/v1/plan/items", map[string]any{"company_id": globex, "kind": "initiative", "title": "Backup review",
		"quarter": "2027-Q3", "budget_estimate": 90000})
	if created.status != 201 {
		t.Fatalf("ada creates: %d %s", created.status, created.body)
	}
	newURL := itemURL(int64(created.json(t)["id"].(float64)))
	if r := ada.api("PATCH", newURL, map[string]any{"title": "Backup and restore review", "budget_estimate": 0}); r.status != 200 || r.json(t)["budget_estimate"] != nil {
		t.Errorf("ada edits: %d %s", r.status, r.body)
	}
	if r := ada.api("POST", "/api/v1/plan/items", map[string]any{"company_id": globex, "kind": "initiative", "title": "No quarter"}); r.status != 400 {
		t.Errorf("initiative without a quarter: %d", r.status)
	}
	gx := strconv.FormatInt(globex, 10)
	if r := ada.htmx("POST", "/plan/items", url.Values{"company_id": {gx}, "kind": {"goal"}, "title": {""}, "status": {"planned"}}); r.status != 400 ||
		!strings.Contains(r.body, "Enter a title.") || !strings.Contains(r.body, `aria-invalid="true"`) {
		t.Errorf("ada's form without a title: %d %s", r.status, r.body)
	}
	if r := ada.htmx("POST", "/plan/items", url.Values{"company_id": {gx}, "kind": {"goal"}, "title": {"x"}, "budget_estimate": {"lots"}}); r.status != 400 ||
		!strings.Contains(r.body, "Enter an amount in dollars") {
		t.Errorf("ada's form with a bad budget: %d %s", r.status, r.body)
	}
	if r := ada.form("/plan/items", url.Values{"company_id": {gx}, "kind": {"goal"}, "title": {""}, "_csrf": {formCSRF(t, ada.get("/plan").body)}}); r.status != 400 ||
		!strings.Contains(r.body, "Enter a title.") || !strings.Contains(r.body, "Roadmap") {
		t.Errorf("ada's refused form without htmx: %d", r.status)
	}
	if r := ada.htmx("POST", "/plan/items", url.Values{"company_id": {strconv.FormatInt(globex, 10)}, "kind": {"goal"}, "title": {"Paperless office"},
		"status": {"planned"}, "budget_estimate": {"$2,500.50"}}); r.status != 204 {
		t.Errorf("ada's form: %d %s", r.status, r.body)
	}
	if r := ada.api("GET", "/api/v1/plan?company_id="+strconv.FormatInt(globex, 10), nil); r.status != 200 || !strings.Contains(r.body, `"budget_estimate":250050`) {
		t.Errorf("ada's plan by API: %d %s", r.status, r.body)
	}
	if r := ada.api("DELETE", newURL, nil); r.status != 204 {
		t.Errorf("ada deletes: %d", r.status)
	}

	// Another tenant's item is not found.
	nina := e.client("northwind.localhost").mustLogin("nina@northwind.test", "demo-pass-1")
	nw := nina.api("POST", "/api/v1/plan/items", map[string]any{"company_id": companyID(t, e, "northwind", "Contoso"), "kind": "goal", "title": "Northwind goal"})
	if nw.status != 201 {
		t.Fatalf("nina creates: %d %s", nw.status, nw.body)
	}
	nwURL := itemURL(int64(nw.json(t)["id"].(float64)))
	for _, c := range []*client{ada, erin} {
		if r := c.api("GET", nwURL, nil); r.status != 404 {
			t.Errorf("Northwind item from acme: %d", r.status)
		}
		if r := c.api("PATCH", nwURL, map[string]any{"status": "done"}); r.status != 404 {
			t.Errorf("PATCH Northwind item from acme: %d", r.status)
		}
	}
}
