package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/atrium-portal/atrium/app/secret"
	"github.com/atrium-portal/atrium/app/tenant"
	"github.com/atrium-portal/atrium/app/tickets"
)

// tenantFlags are the settings `tenant create` and `tenant update` take.
type tenantFlags struct {
	slug, name, appName, primary, accent      string
	hosts                                     []string
	smtpHost, smtpUser, smtpPassword, smtpTLS string
	smtpPort                                  int
	fromName, fromAddress                     string
	why, direction                            bool
}

func (f *tenantFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.slug, "slug", "", "short unique name, e.g. acme")
	fs.StringVar(&f.name, "name", "", "the tenant's name, e.g. \"Acme IT\"")
	fs.StringVar(&f.appName, "app-name", "", "the product name users see (default: the name)")
	fs.StringSliceVar(&f.hosts, "host", nil, "hostname; repeat for aliases, the first is primary (emails link to it)")
	fs.StringVar(&f.primary, "primary-color", "", "primary colour, #RRGGBB")
	fs.StringVar(&f.accent, "accent-color", "", "accent colour, #RRGGBB")
	fs.StringVar(&f.smtpHost, "smtp-host", "", "SMTP server for this tenant's mail")
	fs.IntVar(&f.smtpPort, "smtp-port", 587, "SMTP port")
	fs.StringVar(&f.smtpUser, "smtp-username", "", "SMTP user name")
	fs.StringVar(&f.smtpPassword, "smtp-password", "", "SMTP password (prefer ATRIUM_TENANT_SMTP_PASSWORD: flags show in ps)")
	fs.StringVar(&f.smtpTLS, "smtp-tls", "starttls", "starttls, tls or none")
	fs.StringVar(&f.fromName, "mail-from-name", "", "sender name of this tenant's mail")
	fs.StringVar(&f.fromAddress, "mail-from-address", "", "sender address of this tenant's mail")
	fs.BoolVar(&f.why, "why", true, "show the why page")
	fs.BoolVar(&f.direction, "direction", true, "show the direction page")
}

// patch turns the flags the user set into a tenant.Patch.
func (f *tenantFlags) patch(fs *pflag.FlagSet, environ []string) tenant.Patch {
	var p tenant.Patch
	str := func(flag string, v *string) *string {
		if fs.Changed(flag) {
			return v
		}
		return nil
	}
	p.Slug, p.Name, p.AppName = str("slug", &f.slug), str("name", &f.name), str("app-name", &f.appName)
	p.PrimaryColor, p.AccentColor = str("primary-color", &f.primary), str("accent-color", &f.accent)
	p.SMTPHost, p.SMTPUsername, p.SMTPTLS = str("smtp-host", &f.smtpHost), str("smtp-username", &f.smtpUser), str("smtp-tls", &f.smtpTLS)
	p.SMTPPassword = str("smtp-password", &f.smtpPassword)
	for _, kv := range environ {
		if v, ok := cutEnv(kv, "ATRIUM_TENANT_SMTP_PASSWORD"); ok && p.SMTPPassword == nil {
			p.SMTPPassword = &v
		}
	}
	p.MailFromName, p.MailFromAddress = str("mail-from-name", &f.fromName), str("mail-from-address", &f.fromAddress)
	if fs.Changed("host") {
		p.Hosts = &f.hosts
	}
	if fs.Changed("smtp-port") {
		p.SMTPPort = &f.smtpPort
	}
	if fs.Changed("why") {
		p.WhyEnabled = &f.why
	}
	if fs.Changed("direction") {
		p.DirectionEnabled = &f.direction
	}
	return p
}

func cutEnv(kv, key string) (string, bool) {
	if len(kv) > len(key) && kv[:len(key)+1] == key+"=" {
		return kv[len(key)+1:], true
	}
	return "", false
}

func tenantCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintln(env.Stdout, "Usage: atrium tenant create|list|update [flags]\n\nRun `atrium tenant create --help` for the flags.")
		if len(args) == 0 {
			return ErrUsage
		}
		return nil
	}
	sub, args := args[0], args[1:]
	var synopsis string
	switch sub {
	case "create":
		synopsis = "tenant create --slug SLUG --name NAME --host HOST [--host ALIAS ...] [branding and SMTP flags]"
	case "update":
		synopsis = "tenant update --slug SLUG [--name ...] [--host ...] [branding and SMTP flags]"
	case "list":
		synopsis = "tenant list"
	default:
		return fmt.Errorf("tenant: unknown subcommand %q (want create, list or update)", sub)
	}
	fs := flagSet(env, "tenant "+sub, synopsis)
	var cf configFlags
	cf.register(fs, false)
	var tf tenantFlags
	if sub != "list" {
		tf.register(fs)
	}
	if err := parse(fs, args); err != nil {
		return err
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
	tenants := tenant.NewStore(db)
	if tenants.Secrets, err = secret.Load(cfg.SecretKey, cfg.DataDir); err != nil {
		return err
	}
	switch sub {
	case "list":
		ts, err := tenants.List(ctx)
		if err != nil {
			return err
		}
		printTenants(env.Stdout, ts)
		return nil
	case "create":
		t, err := tenants.Create(ctx, tf.patch(fs, env.Environ))
		if err != nil {
			return err
		}
		// A new portal starts with a Service Desk board and the note types
		// of the help center, so its first ticket needs no setup.
		if err := tickets.SeedDefaults(ctx, db.Tenant(t.ID)); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "created tenant %s (%s) at %v\n", t.Slug, t.AppName, t.HostNames())
		return nil
	default: // update
		if tf.slug == "" {
			return errors.New("tenant update: --slug is required")
		}
		t, err := tenants.BySlug(ctx, tf.slug)
		if err != nil {
			return fmt.Errorf("tenant update %s: %w", tf.slug, err)
		}
		p := tf.patch(fs, env.Environ)
		p.Slug = nil // the slug names the tenant here; it is not renamed
		t, err = tenants.Update(ctx, t.ID, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "updated tenant %s (%s) at %v\n", t.Slug, t.AppName, t.HostNames())
		return nil
	}
}
