"""Job postings: reading what an employer published (page data and plain sentences), fetching
one when the user asks, and telling whether an opportunity is already tracked.

Everything here but :mod:`fetch` is pure: text in, findings out, so each reader can be tested
on its own and the services decide what is saved.
"""
