-- Which transport delivered a sent message: 'smtp' (a server accepted it)
-- or 'log' (it was only written to Atrium's log, as under --demo). Empty
-- until the message is sent, and for messages sent before this was kept.
-- Admins are told "Written to the log" rather than "Sent" when that is
-- what happened.
ALTER TABLE outbox ADD COLUMN delivered_by TEXT NOT NULL DEFAULT '';
