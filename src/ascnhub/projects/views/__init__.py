"""Pages for projects, needs, progress reports, partnerships, offers and company profiles.

One module per concern, each thin: parse, authorise (`require_perm`; private things answer 404 to
those who may not see them), call a service (through `common.forms.submit_form` where a form
saves), render. `urls.py` names each view by its module.
"""
