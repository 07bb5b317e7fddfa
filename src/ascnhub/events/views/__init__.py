"""Meeting pages, one module per concern, each thin: parse, authorise, call a service, render."""
