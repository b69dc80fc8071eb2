package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/atrium-portal/atrium/app/auth"
	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/demo"
	"github.com/atrium-portal/atrium/app/mail"
	"github.com/atrium-portal/atrium/app/secret"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/web"
)

// shutdownGrace is how long in-flight requests get after SIGTERM.
const shutdownGrace = 20 * time.Second

func serve(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "serve", "serve [--config FILE] [--addr HOST:PORT] [--data-dir DIR] [--demo]")
	var cf configFlags
	cf.register(fs, true)
	demoMode := fs.Bool("demo", false, "seed the demo tenants and users (SPEC §15) on first start and print the logins")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := cf.load(env, fs)
	if err != nil {
		return err
	}
	if *demoMode && cfg.DefaultTenant == "" {
		cfg.DefaultTenant = "acme"
	}
	log := newLogger(cfg, env.Stderr)

	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error("close database", "err", err)
		}
	}()
	box, err := secret.Load(cfg.SecretKey, cfg.DataDir)
	if err != nil {
		return err
	}
	tenants := tenant.NewStore(db)
	tenants.Secrets = box
	if *demoMode {
		if err := demo.Seed(ctx, db, tenants); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: listen on %s: %w", cfg.Addr, err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	links := tenant.Links{InsecureHosts: cfg.InsecureHosts, Port: port}
	if cfg.LinkPort != 0 {
		links.Port = fmt.Sprint(cfg.LinkPort)
	}
	srv, worker, err := newServer(cfg, env, db, tenants, box, links, log)
	if err != nil {
		ln.Close()
		return err
	}
	stopDebug, err := benchDebug(env, db, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopDebug()

	served := make(chan error, 1)
	go func() { served <- srv.Listen(ln) }()
	workerCtx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan struct{})
	go func() { worker.Run(workerCtx); close(workerDone) }()
	log.Info("serving", "addr", ln.Addr().String(), "version", env.Build.Version, "data_dir", cfg.DataDir)
	if *demoMode {
		printDemo(env, links, tenants, ctx)
	}
	if env.Ready != nil {
		env.Ready(ln.Addr().String())
	}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	select {
	case err := <-served:
		stopWorker()
		<-workerDone
		return fmt.Errorf("serve: %w", err)
	case sig := <-sigs:
		log.Info("shutting down", "signal", sig.String())
	case <-env.Stop:
		log.Info("shutting down")
	case <-ctx.Done():
		log.Info("shutting down", "reason", ctx.Err())
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	// Wait for in-flight requests before the deferred Close of the database.
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.Canceled) {
		log.Error("shutdown", "err", err)
	}
	<-served
	// Then the outbox worker: it finishes the message it is sending, if any.
	stopWorker()
	<-workerDone
	log.Info("stopped")
	return nil
}

// newServer builds what serve runs over db: the web server and the outbox
// worker that sends its mail. `bench` runs the same server through serve.
func newServer(cfg config.Config, env Env, db *store.DB, tenants *tenant.Store, box *secret.Box, links tenant.Links, log *slog.Logger) (*web.Server, *mail.Worker, error) {
	worker := &mail.Worker{DB: db, Tenants: tenants, Global: cfg.SMTP, Secrets: box, Log: log, Wake: make(chan struct{}, 1)}
	srv, err := web.New(web.Deps{
		Config: cfg, DB: db, Tenants: tenants, Links: links, Static: env.Static, Log: log, MailWake: worker.Wake,
		Auth: &auth.Authenticator{
			Sessions: auth.Sessions{Idle: cfg.Session.IdleTimeout.Duration, Absolute: cfg.Session.AbsoluteTimeout.Duration},
			Limiter: &auth.Limiter{DB: db, PerAddress: cfg.LoginRate.PerAddress, PerAccount: cfg.LoginRate.PerAccount,
				Window: cfg.LoginRate.Window.Duration},
			Hasher: auth.NewHasher(cfg.Passwords.ConcurrentHashes, cfg.Passwords.HashWait.Duration),
		},
	})
	if err != nil {
		return nil, nil, err
	}
	return srv, worker, nil
}

func printDemo(env Env, links tenant.Links, tenants *tenant.Store, ctx context.Context) {
	w := env.Stdout
	fmt.Fprintln(w, "\nAtrium demo is running.")
	ts, err := tenants.List(ctx)
	if err == nil {
		for _, t := range ts {
			fmt.Fprintf(w, "  %-22s %s/\n", t.AppName, links.Base(&t))
		}
	}
	fmt.Fprintln(w, "\nDemo logins:")
	for _, l := range demo.Logins() {
		fmt.Fprintf(w, "  %-20s %-22s %-12s %s\n", l.Host, l.Email, l.Password, l.What)
	}
	fmt.Fprintln(w)
}
