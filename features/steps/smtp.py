# The step library under test, registered exactly as a user project does it.
import SMTPLibrary.bdd.steps  # noqa: F401
