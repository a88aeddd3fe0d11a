"""Russian plan time frames as data: `parse` text into a `Timeframe`, `format` it back.

Pure Python, no Django: usable from a shell with no database.

>>> tf = parse("4-5 апреля 2024 г.")
>>> (tf.start.isoformat(), tf.end.isoformat(), tf.precision, tf.edtf)
('2024-04-04', '2024-04-05', 'days', '2024-04-04/2024-04-05')
>>> format(parse("Май-июнь 2024 г."), lang="en")
'May–June 2024'
>>> tf = parse("15.03.2026 10:00-12:00")
>>> (tf.start.isoformat(), tf.precision, tf.start_time.isoformat(), tf.end_time.isoformat())
('2026-03-15', 'day', '10:00:00', '12:00:00')
>>> format(tf)
'15 марта 2026 г., 10:00–12:00'
"""

from civicplan.timeframes.formatter import format
from civicplan.timeframes.model import PRECISIONS, RECURRENCES, Timeframe
from civicplan.timeframes.parser import parse

__all__ = ["PRECISIONS", "RECURRENCES", "Timeframe", "format", "parse"]
