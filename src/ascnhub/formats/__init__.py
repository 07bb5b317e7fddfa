"""Date and time formats per interface language (FORMAT_MODULE_PATH): one style per kind.

Django's own locale formats fill in what a module here does not set. Besides Django's names,
every language defines DAY_FORMAT: a date with its weekday (agenda days).
"""
