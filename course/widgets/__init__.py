"""The course's widgets: one module per widget, each with a plain HTML/text fallback."""
