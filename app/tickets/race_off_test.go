//go:build !race

package tickets

const raceDetector = false
