"""After-action reports and every figure: document model, drafting, MD/HTML/PDF.

``aar`` builds the HSEEP AAR/IP document from ``source``/``aar_input``; ``aar_drafts``
drafts findings; ``aar_markdown``, ``aar_html`` and ``aar_pdf`` render it; ``*_figure``
and ``figures`` draw with matplotlib; ``fonts`` registers the CJK font that the PDF and
the charts draw Chinese with. May import plans, scenarios, sim and drills; imported by
the command line and the console.
"""
