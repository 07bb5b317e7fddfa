"""Best-practice cases and the planning guidebook, one module each; thin: parse, authorise, call a
service, render."""
