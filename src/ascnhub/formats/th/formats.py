# Thai: Django's own dates with Thai month names ("18 ตุลาคม 2021", Gregorian years as the network's
# documents use them), 24-hour times, and the weekday first for agenda days ("วันจันทร์ที่ 18 ตุลาคม 2021").
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DAY_FORMAT = r"\ว\ั\นlที่ j F Y"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
