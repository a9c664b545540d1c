"""Arabic-first text layer: decoding, HTML extraction, normalization, cleaning,
sentence splitting, tokenization with clitic splitting, and language id."""

from raqib.text.normalize import normalize

__all__ = ["normalize"]
