"""The hall's actions, one module per sub-topic: `tickets` (taking a number, estimates),
`calling` (the window's side of the queue)."""
