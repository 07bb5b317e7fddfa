"""The public outcome tracker and the pages where those responsible report progress, one module
per concern, each thin: parse, authorise, call a service, render."""
