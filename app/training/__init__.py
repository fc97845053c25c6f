"""Training from scratch, live: a page asks for a run (api.py), a process of its own trains it (runner.py) at lower
priority, and the two talk only through the store (keys.py): controls in, progress out, the newest weights kept
for ?weights=<run id> (weights.py)."""
