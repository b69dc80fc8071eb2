package main

import (
	"embed"
	"io/fs"
)

// The views are compiled Go (package ui); what is embedded here are the
// static files they link to: CSS, htmx and our script.
//
//go:embed all:ui/static
var static embed.FS

func staticFiles() fs.FS {
	sub, err := fs.Sub(static, "ui/static")
	if err != nil {
		panic(err) // the path is fixed at compile time
	}
	return sub
}
