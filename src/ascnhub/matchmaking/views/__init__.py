"""Matchmaking pages, one module per concern, each thin: parse, authorise, call a service, render.

`leads` also answers the projects pages' signals; the app's `ready()` imports it for that.
"""
