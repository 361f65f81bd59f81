"""The SMTPLibrary benchmark: ``make bench`` or ``python -m bench``.

Every figure is measured side by side with a reference in the same run (a
bare aiosmtpd ``Controller`` on the same event loop, postfix's ``smtp-sink``
when available), and the ratios are what the targets in
``docs/performance.md`` use: absolute times on a shared machine are noise.
"""
