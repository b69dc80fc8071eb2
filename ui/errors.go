package ui

// ErrorView is what an error page says: what happened (Title, Message,
// Details) and what to do next (Actions). The status code is shown last,
// small, for whoever needs to report it: never as the message.
type ErrorView struct {
	Status  int
	Title   string
	Message string
	// Details are the messages of the fields the request got wrong.
	Details []string
	// Actions are the next steps as links, the first one the likely one.
	Actions []ErrorAction
	// Bare is set for the signed-out frame, where the box holds the page's
	// only heading.
	Bare bool
}

// ErrorAction is one link out of an error: "Ask for a new link", "Sign in".
type ErrorAction struct {
	Label string
	Path  string
}
