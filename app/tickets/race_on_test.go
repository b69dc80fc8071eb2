//go:build race

package tickets

// raceDetector: the race detector slows the property test about tenfold;
// under it one random world is checked instead of four.
const raceDetector = true
