"""One module per ``drillsim`` command: ``add_parser(sub)`` and a handler."""
