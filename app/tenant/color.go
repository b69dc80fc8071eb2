package tenant

import (
	"math"
	"strconv"
	"strings"
)

// MinPrimaryContrast is the least contrast the primary colour must have
// against the white page: it colours links and the current navigation item,
// which WCAG 2.1 treats as user-interface components (3:1).
const MinPrimaryContrast = 3.0

// ColorFormatMessage refuses a colour that is not #RRGGBB.
const ColorFormatMessage = "Use a colour like #0F766E."

// ContrastRule is a least contrast a colour must have against a
// background, with the sentence that refuses it. Settings → Branding
// renders the rule into the page so app.js checks it live with the same
// numbers and words the server answers on save: the message holds
// {ratio} and {min}, filled by Format in Go and by app.js in the browser.
type ContrastRule struct {
	Against string  // #RRGGBB
	Min     float64 // the least ratio, e.g. 3 for 3:1
	Message string  // said when the ratio is below Min
	OK      string  // said when it is not
}

// PrimaryContrast is the rule of the primary colour: readable on white.
var PrimaryContrast = ContrastRule{
	Against: "#FFFFFF",
	Min:     MinPrimaryContrast,
	Message: "Too light to read on white (contrast {ratio}:1, needs {min}:1). Pick a darker colour.",
	OK:      "Contrast with white: {ratio}:1 (needs {min}:1).",
}

// Check returns the colour's contrast against the rule's background and,
// when it is too low, the refusal; "" when the colour passes.
func (r ContrastRule) Check(hex string) (float64, string) {
	c := Contrast(hex, r.Against)
	if c < r.Min {
		return c, r.Format(r.Message, c)
	}
	return c, ""
}

// Format fills a sentence of the rule with a ratio and the rule's minimum.
func (r ContrastRule) Format(sentence string, ratio float64) string {
	return strings.NewReplacer("{ratio}", FormatRatio(ratio), "{min}", FormatRatio(r.Min)).Replace(sentence)
}

// FormatRatio writes a contrast ratio with one decimal, cut rather than
// rounded, so a colour below the minimum never reads as reaching it
// (2.96 is "2.9", not "3.0"); a whole number loses its decimal ("3").
// app.js writes ratios the same way.
func FormatRatio(ratio float64) string {
	if ratio == math.Trunc(ratio) {
		return strconv.FormatFloat(ratio, 'f', 0, 64)
	}
	return strconv.FormatFloat(math.Floor(ratio*10)/10, 'f', 1, 64)
}

// Luminance is the WCAG relative luminance of a #RRGGBB colour.
func Luminance(hex string) float64 {
	if !ColorRE.MatchString(hex) {
		return 0
	}
	ch := func(s string) float64 {
		v, _ := strconv.ParseUint(s, 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(hex[1:3]) + 0.7152*ch(hex[3:5]) + 0.0722*ch(hex[5:7])
}

// Contrast is the WCAG contrast ratio between two colours (1 to 21).
func Contrast(a, b string) float64 {
	la, lb := Luminance(a), Luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TextOn picks black or white text for a surface of colour bg, whichever reads better.
func TextOn(bg string) string {
	if Contrast(bg, "#000000") >= Contrast(bg, "#FFFFFF") {
		return "#000000"
	}
	return "#FFFFFF"
}
