package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/atrium-portal/atrium/app/audit"
	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/invitations"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/tenant"
)

func userCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(env.Stdout, "Usage: atrium user create --tenant SLUG --email EMAIL --kind KIND [--capability CAP ...]")
		if len(args) == 0 || (args[0] != "--help" && args[0] != "-h") {
			return ErrUsage
		}
		return nil
	}
	fs := flagSet(env, "user create", "user create --tenant SLUG --email EMAIL --kind KIND [--name NAME] [--capability CAP ...]")
	var cf configFlags
	cf.register(fs, false)
	slug := fs.String("tenant", "", "slug of the tenant")
	email := fs.String("email", "", "the user's email address")
	name := fs.String("name", "", "the user's name (they can set it when accepting)")
	kind := fs.String("kind", "member", "member, guest, client, external_editor or external_viewer")
	companies := fs.Int64Slice("company", nil, "company ID for an external user; repeat for several")
	caps := fs.StringSlice("capability", nil, "admin capability (members only): super_admin, admin, billing_admin, headlines_admin, strategy_admin, people_admin; repeat or comma-separate")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *slug == "" || *email == "" {
		return errors.New("user create: --tenant and --email are required")
	}
	cfg, err := cf.load(env, fs)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	t, err := tenant.NewStore(db).BySlug(ctx, *slug)
	if err != nil {
		return fmt.Errorf("user create: tenant %q: %w", *slug, err)
	}
	// The operator of the command line is above the tenant's capabilities:
	// the invitation goes out like one from Settings → Users, emailed by the
	// server's outbox worker, and its link is printed here too.
	inv, err := invitations.Invite(ctx, invitations.Context{
		DB: db.Tenant(t.ID), Tenant: t, Base: linksFor(cfg).Base(t),
		Actor: policy.Operator(t.ID), Who: audit.Who{Address: "command line"},
	}, invitations.Request{Email: *email, Name: *name, Kind: policy.Kind(*kind), Capabilities: toCaps(*caps), CompanyIDs: *companies})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "invited %s to %s; the invitation email is queued. The link (valid 7 days):\n%s\n", inv.Email, t.Slug, inv.Link)
	return nil
}

func toCaps(ss []string) []policy.Capability {
	out := make([]policy.Capability, 0, len(ss))
	for _, s := range ss {
		out = append(out, policy.Capability(s))
	}
	return out
}

// linksFor builds links outside a running server: the port is the configured one.
func linksFor(cfg config.Config) tenant.Links {
	l := tenant.Links{InsecureHosts: cfg.InsecureHosts}
	if cfg.LinkPort != 0 {
		l.Port = fmt.Sprint(cfg.LinkPort)
	} else if _, port, err := splitPort(cfg.Addr); err == nil {
		l.Port = port
	}
	return l
}
