package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/people"
	"github.com/atrium-portal/atrium/app/policy"
	"github.com/atrium-portal/atrium/app/store"
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
	link, err := createUser(ctx, db.Tenant(t.ID), linksFor(cfg).Base(t), people.NewUser{
		Email: *email, Name: *name, Kind: policy.Kind(*kind), Capabilities: toCaps(*caps), Status: people.Invited,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created %s in %s; they set their password at:\n%s\n", people.NormalizeEmail(*email), t.Slug, link)
	return nil
}

// createUser adds an invited user and their one-time link, in one transaction.
func createUser(ctx context.Context, db *store.Scoped, base string, n people.NewUser) (string, error) {
	var secret string
	err := db.Tx(ctx, func(ctx context.Context, tx *store.Scoped) error {
		u, err := people.CreateUser(ctx, tx, n)
		if err != nil {
			return err
		}
		secret, _, err = auth.IssueToken(ctx, tx, u.ID, auth.PurposeInvite, time.Now().UTC())
		return err
	})
	if err != nil {
		return "", err
	}
	return base + "/invite/" + secret, nil
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
