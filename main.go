// Command atrium is a self-hosted client portal and strategy-execution
// workspace: one binary serving many branded tenants. main only wires the
// command line to the embedded files and the build stamp.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/atrium-portal/atrium/app/cli"
)

// Stamped at release build time with -ldflags "-X main.version=... -X main.commit=... -X main.date=...".
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	err := cli.Run(context.Background(), cli.Env{
		Args: os.Args, Environ: os.Environ(), Stdout: os.Stdout, Stderr: os.Stderr,
		Static: staticFiles(), Build: cli.Build{Version: version, Commit: commit, Date: date},
	})
	switch {
	case err == nil || cli.IsHelp(err):
		return
	case err == cli.ErrUsage:
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "atrium:", err)
		os.Exit(1)
	}
}
