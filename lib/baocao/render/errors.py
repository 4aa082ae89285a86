"""The one exception type of the rendering layer, so callers catch rendering problems in one place."""


class RenderError(RuntimeError):
    """A report could not be rendered; the message is Vietnamese and names the cause."""
