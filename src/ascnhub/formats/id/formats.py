# Indonesian: Django's own dates ("11 Maret 2026"), 24-hour times with a dot ("09.30"), and a
# day-with-weekday format.
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y, H.i"
TIME_FORMAT = "H.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DAY_FORMAT = "l, j F Y"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H.i"
