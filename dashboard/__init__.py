"""The Streamlit drill console: ``app.py`` and its pages, thin scripts over the core.

Everything a page stores, checks or computes lives in ``drills``, ``reports`` and
``sim``; the modules here only draw and call. May import every package except
``drillsim``; nothing imports it (``drillsim console`` starts ``app.py`` by path).
"""
