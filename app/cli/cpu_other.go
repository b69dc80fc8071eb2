//go:build !unix

package cli

// cpuMicros is 0 where the process's CPU time is not read (the bench's
// CPU column says 0): the server itself runs anywhere Go does.
func cpuMicros() int64 { return 0 }
