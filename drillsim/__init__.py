"""The ``drillsim`` command line: ``cli`` parses, one module per command runs it.

``python -m drillsim`` and the ``drillsim`` script both start ``cli.main``. May import
every package except ``dashboard`` (the console is started as a Streamlit script, not
imported).
"""
