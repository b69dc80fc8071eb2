package cli

// SetCopyBatchRows makes copy's INSERTs hold at most n rows, so that a
// test's few rows span several statements; it returns the undo.
func SetCopyBatchRows(n int) (undo func()) {
	old := copyBatchRows
	copyBatchRows = n
	return func() { copyBatchRows = old }
}
