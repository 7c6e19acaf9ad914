"""The ``s2cart`` console script: ``main`` builds the parser; one module a group of commands.

``main`` (serve, db), ``accounts`` (users, sessions), ``mail``, ``catalog``, ``orders``, ``payments``
(payments, gateways), ``support``, ``simulator``; ``running`` runs a command against a container of its own.
"""
