"""User-facing front ends: the command line now, the Streamlit console later.

Why the CLI lives here: it is the top of the import chain
(dashboard -> sim -> scenarios -> plans), free to call every layer below.
"""
