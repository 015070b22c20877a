"""Pure chart rendering: plain data in (``bot.core.chartdata``), PNG bytes out (``charts.render``).

No telegram or sqlalchemy here; matplotlib only through its object API on the Agg canvas.
"""
