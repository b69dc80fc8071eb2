package web

import (
	"context"
	"errors"

	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/strategy"
)

// The access explainer's strategy objects: a version of a document, a
// headline, a seat. Each exists or not in the workspace; whether the user
// may open it is whether they have its page (policy.ExplainStrategyObject,
// the decision the strategy package asks).
func init() {
	for _, d := range strategy.Docs {
		check := explainVersion(d)
		objectChecks[docPath(d)+"/versions/:id"] = check
		objectChecks["/api/v1/strategy/"+string(d)+"/versions/:id"] = check
	}
	objectChecks["/headlines/:id"] = explainHeadline
	objectChecks["/headlines/:id/edit"] = explainHeadline
	objectChecks["/api/v1/headlines/:id"] = explainHeadline
	objectChecks["/roles/:id/edit"] = explainSeat
	objectChecks["/api/v1/seats/:id"] = explainSeat
}

// explainStrategy is the verdict on an object of page p that exists (found
// nil) or not (strategy.ErrNotFound).
func explainStrategy(x *accessCase, p policy.Page, what string, found error) (bool, error) {
	if errors.Is(found, strategy.ErrNotFound) {
		return noSuch(x, what)
	}
	if found != nil {
		return false, found
	}
	return policy.ExplainStrategyObject(x.actor, settingsOf(x.st.tenant), p, x.why), nil
}

func explainVersion(d strategy.Doc) objectCheck {
	return func(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
		id, ok := objectID(params, "id")
		if !ok {
			return noSuch(x, "version")
		}
		_, err := strategy.VersionOf(ctx, x.st.db, everything(x.st), policy.AllStrategyPagesOn(), s.md, d, id)
		return explainStrategy(x, d.Page(), "version of the "+d.Label(), err)
	}
}

func explainHeadline(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := objectID(params, "id")
	if !ok {
		return noSuch(x, "headline")
	}
	_, err := strategy.GetHeadline(ctx, x.st.db, everything(x.st), s.md, id)
	return explainStrategy(x, policy.PageHeadlines, "headline", err)
}

func explainSeat(s *Server, ctx context.Context, x *accessCase, params map[string]string) (bool, error) {
	id, ok := objectID(params, "id")
	if !ok {
		return noSuch(x, "seat")
	}
	_, err := strategy.GetSeat(ctx, x.st.db, everything(x.st), id)
	return explainStrategy(x, policy.PageRolesChart, "seat", err)
}
