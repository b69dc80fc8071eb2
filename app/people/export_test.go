package people

// Scoped exposes the one function that applies a policy scope, for tests.
var Scoped = scoped
