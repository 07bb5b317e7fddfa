# Vietnamese: "18 tháng 10 năm 2021", "18 tháng 10 năm 2021, 09:30", 24-hour times, and the weekday
# first for agenda days ("Thứ 2, 18 tháng 10 năm 2021"). Django's own vi formats put the time
# before the date ("09:30 Ngày 18 tháng 10 năm 2021"); one order for every page reads better.
DATE_FORMAT = r"j \t\há\n\g n \nă\m Y"
DATETIME_FORMAT = r"j \t\há\n\g n \nă\m Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = r"\t\há\n\g n \nă\m Y"
MONTH_DAY_FORMAT = r"j \t\há\n\g n"
DAY_FORMAT = r"l, j \t\há\n\g n \nă\m Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
