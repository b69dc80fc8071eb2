package teamwork

import (
	"context"
	"math"
	"time"

	"github.com/atrium-portal/atrium/app/office365"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tickets"
)

// fedValues computes the weekly values of a metric the portal feeds, for
// the weeks ws (Mondays, oldest first), from its company's tickets or
// Office 365 data. Only numbers leave: a client team's scorecard shows
// its company's ticket counts to people who may not read the tickets.
// A week without data has no value (no tickets to answer has no first
// response time), rather than a made-up zero — except counts, where none
// is 0.
func fedValues(ctx context.Context, db *store.Scoped, m *Metric, ws []string) (map[string]Value, error) {
	out := map[string]Value{}
	if m.CompanyID == nil || len(ws) == 0 {
		return out, nil
	}
	if m.Source == UnassignedLicences {
		// Office 365 keeps the licences as they are now: this week's value.
		n, err := office365.UnassignedLicences(ctx, db, *m.CompanyID)
		if err != nil {
			return nil, err
		}
		out[ws[len(ws)-1]] = Value{Value: float64(n)}
		return out, nil
	}
	since, _ := time.Parse(DateLayout, ws[0])
	times, err := tickets.CompanyTimesSince(ctx, db, *m.CompanyID, since)
	if err != nil {
		return nil, err
	}
	inWindow := func(t time.Time) (string, bool) {
		w := WeekOf(t)
		return w, w >= ws[0] && w <= ws[len(ws)-1]
	}
	sums, counts := map[string]float64{}, map[string]int{}
	for _, t := range times {
		switch m.Source {
		case TicketsOpened:
			if w, ok := inWindow(t.CreatedAt); ok {
				sums[w]++
			}
		case TicketsClosed:
			if w, ok := inWindow(t.UpdatedAt); ok && t.Done() {
				sums[w]++
			}
		case FirstResponseHours:
			w, ok := inWindow(t.CreatedAt)
			if ok && t.FirstResponse != nil {
				sums[w] += t.FirstResponse.Sub(t.CreatedAt).Hours()
				counts[w]++
			}
		}
	}
	for _, w := range ws {
		switch m.Source {
		case TicketsOpened, TicketsClosed:
			out[w] = Value{Value: sums[w]}
		case FirstResponseHours:
			if counts[w] > 0 {
				out[w] = Value{Value: math.Round(sums[w]/float64(counts[w])*10) / 10}
			}
		}
	}
	return out, nil
}
