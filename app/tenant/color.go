package tenant

import (
	"math"
	"strconv"
)

// MinPrimaryContrast is the least contrast the primary colour must have
// against the white page: it colours links and the current navigation item,
// which WCAG 2.1 treats as user-interface components (3:1).
const MinPrimaryContrast = 3.0

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
