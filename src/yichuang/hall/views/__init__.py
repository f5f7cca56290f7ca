"""Pages of the hall, one module per sub-topic (hall/urls.py names each view by its module).
Thin: parse, call one service or selector, render."""
