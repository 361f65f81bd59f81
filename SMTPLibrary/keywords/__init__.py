"""Robot Framework keywords, one mixin class per area, combined in ``SMTPLibrary.library``."""
