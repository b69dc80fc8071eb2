// Package cli is Atrium's command line: serve, migrate, tenant, user,
// demo, backup, copy and version. main hands it the arguments and the embedded files.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/atrium-portal/atrium/app/config"
	"github.com/atrium-portal/atrium/app/store"
	"github.com/atrium-portal/atrium/app/tenant"
)

// Build is what `atrium version` prints; main stamps it at build time.
type Build struct {
	Version, Commit, Date string
}

// Env is everything a command may touch, passed in so tests can supply their own.
type Env struct {
	Args    []string
	Environ []string
	Stdout  io.Writer
	Stderr  io.Writer
	Static  fs.FS
	Build   Build
	// Ready, when set, is called with the listening address once the server serves.
	Ready func(addr string)
	// Stop, when set, ends `serve` like a signal would (tests use it).
	Stop <-chan struct{}
}

type command struct {
	name, summary string
	run           func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the server", serve},
		{"migrate", "apply database migrations and exit", migrateCmd},
		{"tenant", "create, list and update tenants", tenantCmd},
		{"user", "create a user and print their invitation link", userCmd},
		{"demo", "seed the demo data; --synthetic adds many tickets around it", demoCmd},
		{"backup", "write a consistent snapshot of the database", backupCmd},
		{"copy", "copy the SQLite database into a new PostgreSQL database", copyCmd},
		{"bench", "measure the server's routes under concurrent load", benchCmd},
		{"version", "print version, commit and build date", versionCmd},
	}
}

// ErrUsage means the command line was wrong; the usage was printed.
var ErrUsage = errors.New("usage")

// Run runs the command named by env.Args[1:] and returns its error.
func Run(ctx context.Context, env Env) error {
	args := env.Args[1:]
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return ErrUsage
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "atrium: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return ErrUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Atrium: a self-hosted client portal and strategy-execution workspace.")
	fmt.Fprintln(w, "\nUsage: atrium COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `atrium COMMAND --help` for the flags of a command.")
}

// flagSet makes a pflag set that prints its usage under a heading.
func flagSet(env Env, name, synopsis string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stdout, "Usage: atrium %s\n\nFlags:\n%s", synopsis, fs.FlagUsages())
	}
	return fs
}

// parse parses args; --help prints usage and returns errHelp, which Run's caller treats as success.
func parse(fs *pflag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		return errHelp
	}
	return err
}

var errHelp = errors.New("help shown")

// IsHelp reports whether err only means that help was printed.
func IsHelp(err error) bool { return errors.Is(err, errHelp) }

// configFlags are the flags every command that opens the database shares.
type configFlags struct {
	path        string
	dataDir     string
	databaseURL string
	addr        string
	// sqliteOnly ignores database_url wherever it is set: the command's
	// database is the SQLite file of the data directory (copy's source).
	sqliteOnly bool
}

func (c *configFlags) register(fs *pflag.FlagSet, withAddr bool) {
	fs.StringVar(&c.path, "config", "", "TOML config file (see config.example.toml)")
	fs.StringVar(&c.dataDir, "data-dir", "", "directory for the database (default ./data)")
	fs.StringVar(&c.databaseURL, "database-url", "", "postgres://… to run on PostgreSQL instead of SQLite in the data directory")
	if withAddr {
		fs.StringVar(&c.addr, "addr", "", "address to listen on (default 127.0.0.1:8080)")
	}
}

// load builds the config with the precedence flags > environment > file > defaults.
func (c *configFlags) load(env Env, fs *pflag.FlagSet) (config.Config, error) {
	path := c.path
	if path == "" {
		path = lookupEnv(env.Environ, "ATRIUM_CONFIG")
	}
	return config.Load(path, env.Environ, func(cfg *config.Config) {
		if fs.Changed("data-dir") {
			cfg.DataDir = c.dataDir
		}
		if fs.Changed("database-url") {
			cfg.DatabaseURL = c.databaseURL
		}
		if fs.Lookup("addr") != nil && fs.Changed("addr") {
			cfg.Addr = c.addr
		}
		if c.sqliteOnly {
			cfg.DatabaseURL = ""
		}
	})
}

// openDB opens the database of cfg: PostgreSQL at database_url, else the
// SQLite file in the data directory. It does not migrate.
func openDB(ctx context.Context, cfg config.Config) (*store.DB, error) {
	if cfg.DatabaseURL != "" {
		return store.OpenPostgres(ctx, cfg.DatabaseURL)
	}
	if err := cfg.EnsureDataDir(); err != nil {
		return nil, err
	}
	return store.Open(ctx, cfg.DatabasePath(), store.Modernc)
}

// openStore opens and migrates the database of cfg.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.DB, error) {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(applied) > 0 && log != nil {
		log.Info("migrations applied", "migrations", applied)
	}
	return db, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func migrateCmd(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "migrate", "migrate [--config FILE] [--data-dir DIR]")
	var cf configFlags
	cf.register(fs, false)
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := cf.load(env, fs)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(env.Stdout, "The database is up to date.")
	}
	for _, m := range applied {
		fmt.Fprintln(env.Stdout, "applied", m)
	}
	return nil
}

func backupCmd(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "backup", "backup --out FILE [--config FILE] [--data-dir DIR]")
	var cf configFlags
	cf.register(fs, false)
	out := fs.String("out", "", "file to write the snapshot to (must not exist)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("backup: --out is required")
	}
	cfg, err := cf.load(env, fs)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return errors.New("backup: this server runs on PostgreSQL; back it up with pg_dump (see docs/deploy.md)")
	}
	// The snapshot is of the database as it is: a backup taken before an
	// upgrade must not be the upgraded schema, so nothing is migrated here.
	if _, err := os.Stat(cfg.DatabasePath()); err != nil {
		return fmt.Errorf("backup: no database at %s: %w", cfg.DatabasePath(), err)
	}
	db, err := store.Open(ctx, cfg.DatabasePath(), store.Modernc)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Snapshot(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "wrote", *out)
	return nil
}

func versionCmd(_ context.Context, env Env, args []string) error {
	fs := flagSet(env, "version", "version")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "atrium %s (commit %s, built %s)\n", env.Build.Version, env.Build.Commit, env.Build.Date)
	return nil
}

// printTenants writes one line per tenant.
func printTenants(w io.Writer, ts []tenant.Tenant) {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Slug < ts[j].Slug })
	for _, t := range ts {
		fmt.Fprintf(w, "%-12s %-24s %-20s %s\n", t.Slug, t.Name, t.AppName, strings.Join(t.HostNames(), ","))
	}
}

func splitPort(addr string) (string, string, error) { return net.SplitHostPort(addr) }
