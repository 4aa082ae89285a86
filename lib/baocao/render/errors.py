"""The one exception type of the rendering layer, so callers catch rendering problems in one place."""

from ..errors import BaocaoError


class RenderError(BaocaoError):
    """A report could not be rendered; the message is Vietnamese and names the cause.

    It is a BaocaoError, so the CLI prints it like any data problem, without a traceback.
    """
