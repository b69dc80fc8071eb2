package web

import (
	"maps"
	"reflect"

	"github.com/atrium-portal/atrium/app/strategy"
)

// The strategy API's entries of the OpenAPI document (apiOps), with its
// enum: added at start, before the document is built.
func init() {
	maps.Copy(apiOps, strategyOps())
	enumTypes[reflect.TypeFor[strategy.Doc]()] = struct {
		name   string
		values []string
	}{"StrategyDoc", strs(strategy.Docs)}
}

func strategyOps() map[string]apiOp {
	ops := map[string]apiOp{
		"GET /api/v1/headlines": {ID: "listHeadlines", Tag: "Strategy", Summary: "One page of the company headlines, newest first",
			Query: listParams(nil), Resp: listBody[headlineJSON]{}},
		"POST /api/v1/headlines": {ID: "createHeadline", Tag: "Strategy", Summary: "Write a headline (super admins and headlines admins)",
			Doc: "title is required; body is markdown, rendered and sanitised as body_html.", Body: headlineInput{}, Status: 201, Resp: headlineJSON{}},
		"GET /api/v1/headlines/:id": {ID: "getHeadline", Tag: "Strategy", Summary: "A headline; 404 when the caller does not have the headlines page",
			Doc: "author stays named when deactivated.", Resp: headlineJSON{}},
		"PATCH /api/v1/headlines/:id": {ID: "updateHeadline", Tag: "Strategy", Summary: "Change the fields of a headline the body names (super admins and headlines admins)",
			Doc: "null empties the body; the author stays the author.", Body: headlineInput{}, Resp: headlineJSON{}},
		"DELETE /api/v1/headlines/:id": {ID: "deleteHeadline", Tag: "Strategy", Summary: "Delete a headline (super admins and headlines admins)", Status: 204},
		"GET /api/v1/seats": {ID: "listSeats", Tag: "Strategy", Summary: "Every seat of the roles chart, in one page: each top seat followed by the seats below it",
			Resp: listBody[seatJSON]{}},
		"POST /api/v1/seats": {ID: "createSeat", Tag: "Strategy", Summary: "Add a seat to the roles chart (super admins and admins)",
			Doc: "title is required; person_ids are active members; parent_id is the seat it reports to, null or absent for a top seat.", Body: seatInput{}, Status: 201, Resp: seatJSON{}},
		"GET /api/v1/seats/:id": {ID: "getSeat", Tag: "Strategy", Summary: "A seat of the roles chart; 404 when the caller does not have the roles chart", Resp: seatJSON{}},
		"PATCH /api/v1/seats/:id": {ID: "updateSeat", Tag: "Strategy", Summary: "Change the fields of a seat the body names (super admins and admins)",
			Doc: "A seat cannot report to itself or to a seat below it; null parent_id makes it a top seat.", Body: seatInput{}, Resp: seatJSON{}},
		"DELETE /api/v1/seats/:id": {ID: "deleteSeat", Tag: "Strategy", Summary: "Remove a seat (super admins and admins); the seats below it move up", Status: 204},
	}
	for _, d := range strategy.Docs {
		name, path := d.Label(), "/api/v1/strategy/"+string(d)
		ops["GET "+path] = apiOp{ID: "get" + name, Tag: "Strategy", Summary: "The current version of the " + name + " page",
			Doc: "version is null when nobody has written it yet. The why and direction pages can be turned off (PATCH /api/v1/settings): then 403.", Resp: documentJSON{}}
		ops["PUT "+path] = apiOp{ID: "save" + name, Tag: "Strategy", Summary: "Save a new version of the " + name + " page (super admins and strategy admins)",
			Doc:  "sections maps section keys to markdown; a section not named keeps its text. With base_version, a version saved meanwhile answers 409. The same text again stores no version.",
			Body: documentInput{}, Resp: documentJSON{}, Errors: []int{409}}
		ops["GET "+path+"/versions"] = apiOp{ID: "list" + name + "Versions", Tag: "Strategy", Summary: "The history of the " + name + " page, newest first",
			Query: listParams(nil), Resp: listBody[versionJSON]{}}
		ops["GET "+path+"/versions/:id"] = apiOp{ID: "get" + name + "Version", Tag: "Strategy", Summary: "One version of the " + name + " page; 404 when the caller does not have the page",
			Resp: documentJSON{}}
	}
	return ops
}
