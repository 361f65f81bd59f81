"""behave adapter: step definitions and fixtures over the capture core.

``import SMTPLibrary.bdd.steps`` in a module of ``features/steps/`` registers
every step. The steps use behave's default ``parse`` step matcher.
"""
