"""Simulation of contact-centre drills and the queueing formulas behind staffing."""
