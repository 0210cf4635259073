"""The styles caches live in drtui.ui.textual_compat (they subclass Textual's private
StylesCache); this name stays until the table imports them from there."""

from drtui.ui.textual_compat import LineStyles as LineStyles
