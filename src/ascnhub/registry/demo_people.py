"""Invented people and organisations for the demo network. No real personal data.

Real public bodies (ministries, the ASEAN Secretariat, Japan's MLIT) appear by name; every person,
e-mail address and company is invented. Addresses use the reserved `.example` domain.
"""

DEMO_EMAIL_DOMAIN = "demo.ascnhub.example"

# One invented Chief Smart City Officer per city: (city name, person name, title, language, time zone).
OFFICERS = [
    ("Bandar Seri Begawan", "Hajah Nurul Aziz", "Director of Smart City Programme", "en", "Asia/Brunei"),
    ("Battambang", "Sok Vannak", "Deputy Governor for Urban Development", "km", "Asia/Phnom_Penh"),
    ("Phnom Penh", "Chan Sreymom", "Director of Digital Administration", "km", "Asia/Phnom_Penh"),
    ("Siem Reap", "Keo Ratanak", "Head of Urban Planning Office", "km", "Asia/Phnom_Penh"),
    ("Sihanoukville", "Ly Sopheak", "Chief of Provincial Smart City Unit", "km", "Asia/Phnom_Penh"),
    ("DKI Jakarta", "Rina Kusumawati", "Head of Jakarta Smart City Agency", "id", "Asia/Jakarta"),
    ("Makassar", "Andi Pratama", "Head of Communication and Informatics", "id", "Asia/Makassar"),
    ("Banyuwangi", "Dewi Lestari", "Head of Regional Development Planning", "id", "Asia/Jakarta"),
    ("Sumedang", "Asep Hidayat", "Head of Digital Services", "id", "Asia/Jakarta"),
    (
        "Luang Prabang",
        "Khamla Sisouk",
        "Director of Urban Development and Administration",
        "lo",
        "Asia/Vientiane",
    ),
    ("Vientiane", "Bounmy Phommachanh", "Deputy Director of Public Works", "lo", "Asia/Vientiane"),
    ("Johor Bahru", "Siti Hajar Rahman", "Smart City Coordinator", "ms", "Asia/Kuala_Lumpur"),
    ("Kota Kinabalu", "Jason Lim Wei Ming", "Director of City Planning", "ms", "Asia/Kuching"),
    ("Kuala Lumpur", "Nurul Izzah Hassan", "Head of Smart City Unit", "ms", "Asia/Kuala_Lumpur"),
    ("Kuching", "Michael Jabu", "Chief Digital Officer", "en", "Asia/Kuching"),
    ("Mandalay", "Aung Ko Ko", "Head of City Development Committee IT", "my", "Asia/Yangon"),
    ("Nay Pyi Taw", "Thida Win", "Director of Urban Services", "my", "Asia/Yangon"),
    ("Yangon", "Htet Aung", "Deputy Head of Urban Planning", "my", "Asia/Yangon"),
    ("Cebu City", "Maria Santos Reyes", "City Planning and Development Coordinator", "tl", "Asia/Manila"),
    ("Davao City", "Rafael dela Cruz", "Head of Public Safety and Security Command", "tl", "Asia/Manila"),
    ("Manila", "Angela Bautista", "Chief Information Officer", "tl", "Asia/Manila"),
    ("Singapore", "Tan Wei Ling", "Director, Smart Nation Partnerships", "en", "Asia/Singapore"),
    ("Bangkok", "Somchai Rattanakul", "Director of Strategy and Evaluation", "th", "Asia/Bangkok"),
    ("Chonburi", "Pimchanok Srisuk", "Provincial Smart City Officer", "th", "Asia/Bangkok"),
    ("Phuket", "Narong Chaiyaporn", "Smart City Programme Manager", "th", "Asia/Bangkok"),
    ("Chiang Mai", "Kanokwan Inthasorn", "Head of Smart City Office", "th", "Asia/Bangkok"),
    ("Khon Kaen", "Prasert Wongsa", "Managing Director, City Development Company", "th", "Asia/Bangkok"),
    ("Rayong", "Suda Thongchai", "Provincial Digital Economy Officer", "th", "Asia/Bangkok"),
    ("Da Nang", "Nguyen Thi Lan", "Director of Information and Communications", "vi", "Asia/Ho_Chi_Minh"),
    ("Ha Noi", "Tran Minh Duc", "Head of Smart City Development Division", "vi", "Asia/Ho_Chi_Minh"),
    ("Ho Chi Minh City", "Le Hoang Nam", "Head of Smart City Operations Centre", "vi", "Asia/Ho_Chi_Minh"),
]

# A past officer, to show a city's history: (city, name, title, language, zone, start, end).
PAST_OFFICERS = [
    (
        "Makassar",
        "Muhammad Yusuf",
        "Head of Communication and Informatics",
        "id",
        "Asia/Makassar",
        "2018-04-28",
        "2023-12-31",
    ),
    (
        "Da Nang",
        "Pham Van Hung",
        "Director of Information and Communications",
        "vi",
        "Asia/Ho_Chi_Minh",
        "2018-04-28",
        "2022-06-30",
    ),
]

# Invented contact people at the National Representative agencies: country -> (name, title, language, zone).
NR_PEOPLE = {
    "BN": ("Awang Haziq Omar", "Senior Special Duties Officer", "en", "Asia/Brunei"),
    "ID": ("Budi Santoso", "Director of Urban Affairs", "id", "Asia/Jakarta"),
    "MY": ("Ahmad Faizal Ismail", "Principal Assistant Secretary", "ms", "Asia/Kuala_Lumpur"),
    "TH": ("Wanida Kittisak", "Director of Smart City Promotion", "th", "Asia/Bangkok"),
    "VN": ("Vu Thanh Huong", "Deputy Director, Department of Urban Development", "vi", "Asia/Ho_Chi_Minh"),
}

# (slug, name, kind, country, website, description)
ORGANISATIONS = [
    (
        "asean-secretariat",
        "ASEAN Secretariat",
        "international",
        "ID",
        "https://asean.org",
        "Supports ASEAN's bodies; hosts the network's coordination.",
    ),
    (
        "mlit-japan",
        "Ministry of Land, Infrastructure, Transport and Tourism (Japan)",
        "partner_government",
        "JP",
        "https://www.mlit.go.jp",
        "Hosts the ASEAN–Japan Smart Cities Network High Level Meeting; runs Smart JAMP.",
    ),
    (
        "jasca",
        "Japan Association for Smart Cities in ASEAN (JASCA)",
        "international",
        "JP",
        "",
        "Public–private platform that matches ASEAN cities with Japanese companies.",
    ),
    (
        "aoba-smart-infrastructure",
        "Aoba Smart Infrastructure K.K.",
        "company",
        "JP",
        "",
        "Invented company: IoT river and flood sensing, early-warning dashboards.",
    ),
    (
        "sakura-water-systems",
        "Sakura Water Systems Co., Ltd.",
        "company",
        "JP",
        "",
        "Invented company: water distribution monitoring and leak detection.",
    ),
    (
        "kizuna-mobility",
        "Kizuna Mobility Inc.",
        "company",
        "JP",
        "",
        "Invented company: adaptive traffic signals and mobility data platforms.",
    ),
    (
        "hikari-care-tech",
        "Hikari CareTech Co., Ltd.",
        "company",
        "JP",
        "",
        "Invented company: remote watch-over services for older people living alone.",
    ),
    (
        "mekong-data-labs",
        "Mekong Data Labs JSC",
        "company",
        "VN",
        "",
        "Invented company: open-data portals and digital twins for cities.",
    ),
    (
        "nusantara-civic-tech",
        "Nusantara Civic Tech",
        "company",
        "ID",
        "",
        "Invented company: citizen super-apps and complaint handling.",
    ),
    (
        "lion-city-mobility",
        "Lion City Mobility Pte. Ltd.",
        "company",
        "SG",
        "",
        "Invented company: fleet electrification and smart parking.",
    ),
    (
        "hanbit-urban-solutions",
        "Hanbit Urban Solutions",
        "company",
        "KR",
        "",
        "Invented company: integrated city operation centres and CCTV analytics.",
    ),
    (
        "siam-green-energy",
        "Siam Green Energy Co., Ltd.",
        "company",
        "TH",
        "",
        "Invented company: rooftop solar and building energy management.",
    ),
    (
        "asean-urban-research-institute",
        "ASEAN Urban Research Institute",
        "academia",
        "SG",
        "",
        "Invented research institute: urban data science and planning.",
    ),
]

# Invented staff at companies and partners: (organisation slug, name, title, language, zone).
STAFF = [
    ("asean-secretariat", "Siti Rahmawati", "Senior Officer, Sustainable Urbanisation", "en", "Asia/Jakarta"),
    ("mlit-japan", "Sato Kenji", "Director for International Urban Development", "ja", "Asia/Tokyo"),
    ("jasca", "Yamamoto Aiko", "Secretariat Coordinator", "ja", "Asia/Tokyo"),
    ("aoba-smart-infrastructure", "Takahashi Ryo", "Head of Overseas Business", "ja", "Asia/Tokyo"),
    ("sakura-water-systems", "Nakamura Yui", "ASEAN Business Development Manager", "ja", "Asia/Tokyo"),
    ("kizuna-mobility", "Kobayashi Daiki", "Solutions Architect", "ja", "Asia/Tokyo"),
    ("hikari-care-tech", "Suzuki Haruka", "International Partnerships Lead", "ja", "Asia/Tokyo"),
    ("mekong-data-labs", "Do Quang Huy", "Chief Executive Officer", "vi", "Asia/Ho_Chi_Minh"),
    ("nusantara-civic-tech", "Putri Maharani", "Head of Government Partnerships", "id", "Asia/Jakarta"),
    ("lion-city-mobility", "Rajesh Kumar", "Regional Director", "en", "Asia/Singapore"),
    ("hanbit-urban-solutions", "Kim Ji-woo", "Global Sales Manager", "ko", "Asia/Seoul"),
    ("siam-green-energy", "Chatchai Boonmee", "Business Development Director", "th", "Asia/Bangkok"),
    ("asean-urban-research-institute", "Lim Hui Min", "Senior Research Fellow", "en", "Asia/Singapore"),
]

SECRETARIAT_PERSON = ("Ayu Maharani", "Network Secretariat Officer", "en", "Asia/Jakarta")

# Network chairs by year (public fact).
CHAIRS = {2018: "SG", 2019: "TH", 2020: "VN", 2021: "BN", 2022: "KH", 2023: "ID", 2024: "LA", 2025: "MY"}
