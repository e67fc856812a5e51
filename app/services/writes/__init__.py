"""Write operations: validation against the rules, the change itself, its revision and the
webhook outbox, all in one transaction that each function commits once."""
