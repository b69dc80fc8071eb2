package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/secret"
	"github.com/atrium-portal/atrium/app/tenant"
)

// demoCmd seeds the demo of SPEC §15 into the database and, with
// --synthetic, adds deterministic synthetic data around it.
func demoCmd(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "demo", "demo [--synthetic [--tickets N] [--tenants N] [--companies N] [--users N] [--notes N] [--seed S]] [--config FILE] [--data-dir DIR] [--database-url URL]")
	var cf configFlags
	cf.register(fs, false)
	synthetic := fs.Bool("synthetic", false, "add synthetic companies, users, tickets, notes and reports (the same seed adds nothing twice)")
	var o demo.SyntheticOptions
	fs.IntVar(&o.Tickets, "tickets", 200000, "tickets in the demo tenant acme")
	fs.IntVar(&o.Tenants, "tenants", 2, "small synthetic tenants besides acme")
	fs.IntVar(&o.Companies, "companies", 50, "synthetic companies in acme")
	fs.IntVar(&o.Users, "users", 6, "users per synthetic company (every kind, most of them external)")
	fs.IntVar(&o.Notes, "notes", -1, "notes on acme's synthetic tickets in all (default: as many as tickets)")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the synthetic data")
	if err := parse(fs, args); err != nil {
		return err
	}
	if o.Tickets < 0 || o.Tenants < 0 || o.Companies < 0 || o.Users < 0 {
		return fmt.Errorf("demo: --tickets, --tenants, --companies and --users must not be negative")
	}
	cfg, err := cf.load(env, fs)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	tenants := tenant.NewStore(db)
	if tenants.Secrets, err = secret.Load(cfg.SecretKey, cfg.DataDir); err != nil {
		return err
	}
	start := time.Now()
	if !*synthetic {
		if err := demo.Seed(ctx, db, tenants); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "The demo is in the database (%s). Start it with `atrium serve --demo`.\n", time.Since(start).Round(time.Millisecond))
		return nil
	}
	o.Progress = env.Stdout
	st, err := demo.Synthetic(ctx, db, tenants, o)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Added %d tenants, %d companies, %d users, %d teams, %d boards, %d reports, %d tickets and %d notes in %s (seed %d).\n",
		st.Tenants, st.Companies, st.Users, st.Teams, st.Boards, st.Reports, st.Tickets, st.Notes, time.Since(start).Round(time.Millisecond), o.Seed)
	return nil
}
